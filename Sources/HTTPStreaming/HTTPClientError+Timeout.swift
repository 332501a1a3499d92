import AsyncHTTPClient

extension HTTPClientError {
    /// Whether the request ran out of time (connecting, reading, writing or its deadline), as against a server that
    /// cannot be reached or talked to: the one split of every HTTP client's transport errors into timeout and transport.
    public var isTimeout: Bool {
        switch self {
        case .connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout: return true
        default: return false
        }
    }
}
