import HostAllowlist

/// Settings of `ml serve`. All have defaults; the server binds loopback unless told otherwise.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Bearer key required on `/v1/*` and `/metrics` when set. Never logged.
    public var apiKey: String?
    /// Generations served at once; more get 429.
    public var maxConcurrent: Int
    /// Upper bound of `max_tokens` (and the default when a request gives none).
    public var maxTokens: Int
    /// Largest request body accepted (413 beyond).
    public var maxBodyBytes: Int
    /// An origin allowed by CORS, or `nil` for no CORS headers.
    public var corsOrigin: String?
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT; those still running then are ended
    /// with an error their clients can see.
    public var drainTimeout: Duration
    /// The host names requests may address: loopback names, `host`, and names added with `--allow-host`.
    public var allowedHosts: AllowedHosts

    public init(
        host: String = "127.0.0.1",
        port: Int = 8090,
        apiKey: String? = nil,
        maxConcurrent: Int = 16,
        maxTokens: Int = 2048,
        maxBodyBytes: Int = 1 << 20,
        corsOrigin: String? = nil,
        drainTimeout: Duration = .seconds(10),
        allowedHosts: [String] = []
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxTokens = max(1, maxTokens)
        self.maxBodyBytes = max(1024, maxBodyBytes)
        self.corsOrigin = corsOrigin
        self.drainTimeout = max(.zero, drainTimeout)
        self.allowedHosts = AllowedHosts(bindHost: host, extra: allowedHosts)
    }

    /// Whether the bind address is loopback only.
    public var bindsLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

    /// A warning to print at start-up, if the configuration is unsafe.
    public var securityWarning: String? {
        guard !bindsLoopback, apiKey == nil else { return nil }
        return "warning: serving on \(host):\(port) without an API key: anyone who can reach this address can use the model (set --api-key or ML_API_KEY)"
    }
}
