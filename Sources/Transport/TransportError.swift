/// An error from the Transport module: a stable code and a message that says what went wrong.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable category.
    public enum Code: String, Sendable, Hashable {
        /// A command ran and exited non-zero (the message has its status and the end of its stderr).
        case commandFailed
        /// A command could not be started (executable missing or not runnable).
        case launchFailed
        /// A file or directory that must exist does not.
        case notFound
        /// An argument is unusable (a host or user that could be read as an option, a NUL byte, a negative depth…).
        case invalidArgument
        /// A file could not be copied (read, written or renamed into place).
        case copyFailed
        /// A configuration is unusable (bad model-family file, bad SSH option value).
        case invalidConfiguration
    }

    public let code: Code
    public let message: String
    /// The exit status, for ``Code/commandFailed`` and copies that failed because a command did.
    public let exitStatus: Int32?

    public init(_ code: Code, _ message: String, exitStatus: Int32? = nil) {
        self.code = code
        self.message = message
        self.exitStatus = exitStatus
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension TransportError {
    /// ``Code/commandFailed`` for `command` (as shown to a person) with the result's status and stderr excerpt.
    static func commandFailed(_ command: String, _ result: CommandResult, code: Code = .commandFailed) -> TransportError
    {
        let excerpt = result.errorExcerpt()
        let detail = excerpt.isEmpty ? "no error output" : excerpt
        return TransportError(
            code,
            "\(command) exited with status \(result.status): \(detail)",
            exitStatus: result.status
        )
    }
}
