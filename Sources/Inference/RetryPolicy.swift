/// When and how often a failed request is tried again: the one backoff of the package.
///
/// `StreamingHTTPClient` retries only transport errors, timeouts, 429 and 5xx; never other 4xx, and never once a
/// token of a stream has been delivered. Delays grow exponentially with full jitter; a 429's `Retry-After` is
/// honoured; the whole sequence of attempts stays within ``totalBudget``. Here, in `Inference`, rather than in
/// `HTTPStreaming`, because `DataPipeline`'s queue worker backs off an upstream outage with it too.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 disables retries).
    public var maxAttempts: Int
    /// Delay before the second attempt; doubles with each further attempt.
    public var baseDelay: Duration
    /// Upper bound of one delay.
    public var maxDelay: Duration
    /// Upper bound of all attempts and delays together.
    public var totalBudget: Duration

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(250),
        maxDelay: Duration = .seconds(8),
        totalBudget: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.totalBudget = totalBudget
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether an HTTP status is worth retrying.
    public static func isRetryable(status: Int) -> Bool { status == 429 || status >= 500 }

    /// The delay before attempt `attempt + 1` (attempt counts from 1), with full jitter:
    /// uniformly random in `[0, min(maxDelay, baseDelay · 2^(attempt-1))]`, but at least `retryAfter` when given.
    public func delay<R: RandomNumberGenerator>(
        afterAttempt attempt: Int,
        retryAfter: Duration? = nil,
        using generator: inout R
    ) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingSeconds = ceiling.seconds
        let jittered = Duration.seconds(ceilingSeconds > 0 ? Double.random(in: 0...ceilingSeconds, using: &generator) : 0)
        if let retryAfter { return max(retryAfter, jittered) }
        return jittered
    }
}
