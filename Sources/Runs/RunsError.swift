import MLErrors

/// A run's failure: a stable code, a message naming what failed, and the error it wraps.
public typealias RunsError = ModuleError<RunsErrorCode>

/// The codes of ``RunsError``. Messages are printed as they are (the CLI's text), without the code.
public struct RunsErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static var showsCodeInDescription: Bool { false }

    /// Settings that cannot work together.
    public static let configuration = Self(rawValue: "configuration")
    /// An input file that cannot be read.
    public static let input = Self(rawValue: "input")
}
