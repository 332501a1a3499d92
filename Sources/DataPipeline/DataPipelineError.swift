import MLErrors

/// An error of a pipeline stage, with a message naming the file, row or setting at fault.
package typealias DataPipelineError = ModuleError<DataPipelineErrorCode>

/// The codes of ``DataPipelineError``.
package struct DataPipelineErrorCode: ErrorCode {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone: it names the file, row or setting and is printed as is.
    package static var showsCodeInDescription: Bool { false }

    /// An input file cannot be read or is not text.
    package static let input = Self(rawValue: "input")
    /// An option's value is unusable (a `--split` that does not sum to 1).
    package static let invalidArgument = Self(rawValue: "invalid_argument")
    /// A stage has nothing to work on (an empty golden set to export).
    package static let nothingToDo = Self(rawValue: "nothing_to_do")
    /// The model's server kept failing (refused connections, 5xx, cut streams, timeouts) for longer than a worker
    /// waits: the prompts are left pending, their attempts unspent.
    /// A tool of the tools' environment (its Python, the `duckdb` or `huggingface_hub` package) is missing.
    package static let toolMissing = Self(rawValue: "tool_missing")
    /// A Hugging Face Hub request failed (a refused token, a file the Hub did not take).
    package static let hub = Self(rawValue: "hub")
    package static let upstreamUnavailable = Self(rawValue: "upstream_unavailable")
}
