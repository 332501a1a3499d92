extension InferenceError {
    /// Whether `error` is the upstream's failure rather than the request's: a refused or reset connection, a
    /// timeout, a stream cut short, a 5xx or 429 (in the status line or in an error event). Trying the same request
    /// again later may succeed, so a caller backs off and retries it without holding it against the request; a 4xx,
    /// an invalid reply or an in-band error without a status belong to the request. A ``GenerationFailure`` is
    /// judged by its cause.
    public static func isUpstreamFailure(_ error: any Error) -> Bool {
        if let failure = error as? GenerationFailure { return isUpstreamFailure(failure.underlying) }
        guard let error = error as? InferenceError else { return false }
        switch error.code {
        case .transport, .timeout, .truncated: return true
        default: return error.status.map { $0 == 429 || $0 >= 500 } ?? false
        }
    }
}
