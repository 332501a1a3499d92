import MLErrors

/// An error of a pipeline stage, with a message naming the file, row or setting at fault.
public typealias DataPipelineError = ModuleError<DataPipelineErrorCode>

/// The codes of ``DataPipelineError``.
public struct DataPipelineErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone: it names the file, row or setting and is printed as is.
    public static var showsCodeInDescription: Bool { false }

    /// An input file cannot be read or is not text.
    public static let input = Self(rawValue: "input")
    /// An option's value is unusable (a `--split` that does not sum to 1).
    public static let invalidArgument = Self(rawValue: "invalid_argument")
    /// A stage has nothing to work on (an empty golden set to export).
    public static let nothingToDo = Self(rawValue: "nothing_to_do")
    /// The model's server kept failing (refused connections, 5xx, cut streams, timeouts) for longer than a worker
    /// waits: the prompts are left pending, their attempts unspent.
    public static let upstreamUnavailable = Self(rawValue: "upstream_unavailable")
}
