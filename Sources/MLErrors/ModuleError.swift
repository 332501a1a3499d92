/// A module's error when code, message and wrapped error are all it has: the module declares only its code type and
/// names the error, `public typealias AgentError = ModuleError<AgentErrorCode>`.
public struct ModuleError<Code: ErrorCode>: CodedError {
    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }
}
