import Inference

/// Settings of a ``StreamingHTTPClient``: timeouts, retries, headers and the endpoint pool. All have defaults.
public struct StreamingHTTPConfiguration: Sendable {
    /// Time to establish a connection.
    public var connectTimeout: Duration
    /// Time for a whole request, streaming included.
    public var requestTimeout: Duration
    /// Longest silence between two chunks of a response.
    public var idleTimeout: Duration
    public var retry: RetryPolicy
    /// Headers added to every request (e.g. an organisation header). Never logged.
    public var extraHeaders: [(String, String)]
    /// Generations one endpoint serves at once (the pool's per-endpoint limit), and the HTTP connections kept
    /// open to it. Size it from the caller's concurrency (``init(concurrency:onLimitReached:)``): a smaller value
    /// caps that concurrency.
    public var maxConcurrentPerEndpoint: Int
    /// Called once when every endpoint is at ``maxConcurrentPerEndpoint`` and a request has to wait, so a cap on
    /// the caller's concurrency is reported, not silent.
    public var onLimitReached: (@Sendable (EndpointPool.LimitReached) -> Void)?
    /// How long a failed endpoint is skipped.
    public var endpointCoolDown: Duration
    /// Error bodies are cut to this many bytes in messages.
    public var maxErrorMessageBytes: Int

    public init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(600),
        idleTimeout: Duration = .seconds(120),
        retry: RetryPolicy = RetryPolicy(),
        extraHeaders: [(String, String)] = [],
        maxConcurrentPerEndpoint: Int = 16,
        endpointCoolDown: Duration = .seconds(10),
        maxErrorMessageBytes: Int = 500,
        onLimitReached: (@Sendable (EndpointPool.LimitReached) -> Void)? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.retry = retry
        self.extraHeaders = extraHeaders
        self.maxConcurrentPerEndpoint = maxConcurrentPerEndpoint
        self.endpointCoolDown = endpointCoolDown
        self.maxErrorMessageBytes = maxErrorMessageBytes
        self.onLimitReached = onLimitReached
    }

    /// The defaults, with the per-endpoint limit (and connection pool) sized for `concurrency` requests in
    /// flight: what a caller asks for is what each endpoint accepts.
    public init(concurrency: Int, onLimitReached: (@Sendable (EndpointPool.LimitReached) -> Void)? = nil) {
        self.init(maxConcurrentPerEndpoint: max(1, concurrency), onLimitReached: onLimitReached)
    }

    /// For a managed local server (llama-server, mlx_lm.server) with `parallelSlots` slots: generous request and
    /// idle timeouts for long generations, and quick retries of failures before the first token only (a dead
    /// server is caught by its exit, not by retrying).
    public static func managedServer(parallelSlots: Int) -> StreamingHTTPConfiguration {
        StreamingHTTPConfiguration(
            connectTimeout: .seconds(5),
            requestTimeout: .seconds(3600),
            idleTimeout: .seconds(600),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)),
            maxConcurrentPerEndpoint: max(64, parallelSlots * 4)
        )
    }
}
