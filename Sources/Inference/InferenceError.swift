import MLErrors

/// An error from the inference layer: a stable code, a message that says what went wrong, and the error it wraps.
public struct InferenceError: HTTPStatusError {
    /// A stable, machine-readable category. Backends may define their own codes.
    public struct Code: ErrorCode {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let backendNotRegistered = Code(rawValue: "backend_not_registered")
        public static let backendNotAvailable = Code(rawValue: "backend_not_available")
        public static let noBackend = Code(rawValue: "no_backend")
        public static let modelNotFound = Code(rawValue: "model_not_found")
        public static let invalidModel = Code(rawValue: "invalid_model")
        public static let invalidRequest = Code(rawValue: "invalid_request")
        public static let generationFailed = Code(rawValue: "generation_failed")
        public static let serverError = Code(rawValue: "server_error")
        public static let transport = Code(rawValue: "transport")
        public static let timeout = Code(rawValue: "timeout")
        public static let truncated = Code(rawValue: "truncated")
        public static let cancelled = Code(rawValue: "cancelled")
        public static let closed = Code(rawValue: "closed")
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public var code: Code
    public var message: String
    public var status: Int?
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, status: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.underlying = underlying
    }
}
