/// Which InfluxDB HTTP API to speak.
public enum InfluxAPIVersion: String, Sendable, Hashable, CaseIterable {
    /// InfluxDB 1.x: `/write?db=` and InfluxQL at `/query`.
    case v1
    /// InfluxDB 2.x: `/api/v2/write?org=&bucket=` with `Authorization: Token`.
    case v2
    /// InfluxDB 3: `/api/v3/write_lp?db=` with `Authorization: Bearer`, SQL at `/api/v3/query_sql`.
    case v3
}

/// Where and how ``InfluxClient`` writes. All settings have defaults.
public struct InfluxConfiguration: Sendable {
    /// Base URL of the server, e.g. `http://127.0.0.1:8086`.
    public var url: String
    public var apiVersion: InfluxAPIVersion
    /// Database (v1, v3).
    public var database: String?
    /// Organisation (v2).
    public var org: String?
    /// Bucket (v2).
    public var bucket: String?
    /// Sent as `Authorization` when set; never logged.
    public var token: InfluxToken?
    /// Limit for connecting and for each whole request.
    public var timeout: Duration
    /// Lines per write request; larger writes are split.
    public var batchSize: Int
    /// Server error bodies are cut to this many characters in messages.
    public var maxErrorMessageLength: Int

    public init(
        url: String = "http://127.0.0.1:8086",
        apiVersion: InfluxAPIVersion = .v1,
        database: String? = nil,
        org: String? = nil,
        bucket: String? = nil,
        token: InfluxToken? = nil,
        timeout: Duration = .seconds(30),
        batchSize: Int = 5000,
        maxErrorMessageLength: Int = 500
    ) {
        self.url = url
        self.apiVersion = apiVersion
        self.database = database
        self.org = org
        self.bucket = bucket
        self.token = token
        self.timeout = timeout
        self.batchSize = batchSize
        self.maxErrorMessageLength = maxErrorMessageLength
    }
}
