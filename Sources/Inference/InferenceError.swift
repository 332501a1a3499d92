import MLErrors

/// An error from the inference layer: a stable code, a message that says what went wrong, and the error it wraps.
public typealias InferenceError = HTTPModuleError<InferenceErrorCode>

/// The codes of ``InferenceError``. Backends may define their own codes.
public struct InferenceErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let backendNotRegistered = Self(rawValue: "backend_not_registered")
    public static let backendNotAvailable = Self(rawValue: "backend_not_available")
    public static let noBackend = Self(rawValue: "no_backend")
    public static let modelNotFound = Self(rawValue: "model_not_found")
    public static let invalidModel = Self(rawValue: "invalid_model")
    public static let invalidRequest = Self(rawValue: "invalid_request")
    public static let generationFailed = Self(rawValue: "generation_failed")
    public static let serverError = Self(rawValue: "server_error")
    public static let transport = Self(rawValue: "transport")
    public static let timeout = Self(rawValue: "timeout")
    public static let truncated = Self(rawValue: "truncated")
    /// A server answered 200 with something that is not a reply: no choice, no content.
    public static let invalidReply = Self(rawValue: "invalid_reply")
    public static let cancelled = Self(rawValue: "cancelled")
    public static let closed = Self(rawValue: "closed")
    public static let unsupported = Self(rawValue: "unsupported")
}
