/// A module's error that may carry the HTTP status a server answered with: the module declares its code type and
/// names the error, `public typealias InferenceError = HTTPModuleError<InferenceErrorCode>`. The status is part of the
/// error's identity and of its description, `code (HTTP status): message`.
public struct HTTPModuleError<Code: ErrorCode>: CodedError {
    public var code: Code
    public var message: String
    /// The HTTP status, for errors reported by a server.
    public var status: Int?
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, status: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.underlying = underlying
    }

    public var description: String {
        if let status { return "\(code) (HTTP \(status)): \(message)" }
        return "\(code): \(message)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.status == rhs.status
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(status)
    }
}
