import MLErrors

/// A child process that could not be run: a stable code, a message naming the program or file, the error it wraps.
public typealias ChildProcessError = ModuleError<ChildProcessErrorCode>

/// The codes of ``ChildProcessError``.
public struct ChildProcessErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The argument array is unusable (empty, or an argument with a NUL byte).
    public static let invalidArgument = Self(rawValue: "invalidArgument")
    /// The program is not an executable file, is not on `PATH`, or could not be started.
    public static let launchFailed = Self(rawValue: "launchFailed")
    /// The file named as standard input cannot be read.
    public static let inputUnreadable = Self(rawValue: "inputUnreadable")
    /// The file named as standard output cannot be created or written.
    public static let outputUnwritable = Self(rawValue: "outputUnwritable")
}
