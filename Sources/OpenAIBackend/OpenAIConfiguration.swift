/// Settings of an OpenAI-compatible HTTP backend. All have defaults.
public struct OpenAIConfiguration: Sendable {
    /// Time to establish a connection.
    public var connectTimeout: Duration
    /// Time for a whole request, streaming included.
    public var requestTimeout: Duration
    /// Longest silence between two chunks of a response.
    public var idleTimeout: Duration
    public var retry: RetryPolicy
    /// Headers added to every request (e.g. an organisation header). Never logged.
    public var extraHeaders: [(String, String)]
    /// Generations one endpoint serves at once (the pool's per-endpoint limit).
    public var maxConcurrentPerEndpoint: Int
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
        maxErrorMessageBytes: Int = 500
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.retry = retry
        self.extraHeaders = extraHeaders
        self.maxConcurrentPerEndpoint = maxConcurrentPerEndpoint
        self.endpointCoolDown = endpointCoolDown
        self.maxErrorMessageBytes = maxErrorMessageBytes
    }
}
