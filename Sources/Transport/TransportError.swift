import MLErrors

/// An error from the Transport module: a stable code, a message that says what went wrong, and the error it wraps.
package struct TransportError: CodedError {
    /// A stable, machine-readable category.
    package struct Code: ErrorCode {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }

        /// A command ran and exited non-zero (the message has its status and the end of its stderr).
        package static let commandFailed = Code(rawValue: "commandFailed")
        /// A command could not be started (executable missing or not runnable).
        package static let launchFailed = Code(rawValue: "launchFailed")
        /// A file or directory that must exist does not.
        package static let notFound = Code(rawValue: "notFound")
        /// An argument is unusable (a host or user that could be read as an option, a NUL byte, a negative depth…).
        package static let invalidArgument = Code(rawValue: "invalidArgument")
        /// A file could not be copied (read, written or renamed into place).
        package static let copyFailed = Code(rawValue: "copyFailed")
        /// A configuration is unusable (bad model-family file, bad SSH option value).
        package static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
    }

    package var code: Code
    package var message: String
    /// The exit status, for ``Code/commandFailed`` and copies that failed because a command did.
    package var exitStatus: Int32?
    package var underlying: (any Error)?

    package init(_ code: Code, _ message: String, exitStatus: Int32? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.exitStatus = exitStatus
        self.underlying = underlying
    }

    /// Equal when code, message and exit status are: the status tells errors apart too (the wrapped error does not).
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.exitStatus == rhs.exitStatus
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(exitStatus)
    }
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
