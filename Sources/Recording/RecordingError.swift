import MLErrors

/// An error from the Recording module: a stable code, a message that says what went wrong, and the error it wraps.
public typealias RecordingError = HTTPModuleError<RecordingErrorCode>

extension HTTPModuleError where Code == RecordingErrorCode {
    /// Whether InfluxDB refused the batch itself — malformed line protocol, a field-type conflict, a partial write
    /// (400), a body too large (413), an unprocessable batch (422) —, so sending it again can never succeed. A server
    /// that is down, failing (5xx), slow, or refusing the credentials or database is not: that batch waits its turn.
    public var isRejectedBatch: Bool {
        code == .serverError && [400, 413, 422].contains(status ?? 0)
    }
}

/// The codes of ``RecordingError``.
public struct RecordingErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A point cannot be encoded as line protocol (empty name, no fields, non-finite float, newline…).
    public static let invalidPoint = Self(rawValue: "invalid_point")
    /// Input to a record builder is out of range.
    public static let invalidInput = Self(rawValue: "invalid_input")
    /// The configuration lacks what a request needs (a database, an org, a bucket, a valid URL).
    public static let invalidConfiguration = Self(rawValue: "invalid_configuration")
    /// A token could not be resolved (unreadable or empty token file).
    public static let invalidToken = Self(rawValue: "invalid_token")
    /// The server could not be reached.
    public static let transport = Self(rawValue: "transport")
    /// The request took longer than the configured timeout.
    public static let timeout = Self(rawValue: "timeout")
    /// The server answered with a non-2xx status.
    public static let serverError = Self(rawValue: "server_error")
    /// A query was rejected or its result carries an `error`.
    public static let queryFailed = Self(rawValue: "query_failed")
    /// The server's reply could not be understood.
    public static let invalidResponse = Self(rawValue: "invalid_response")
    /// The point buffer file could not be read or written.
    public static let buffer = Self(rawValue: "buffer")
    /// The score store could not be opened, migrated, read or written.
    public static let store = Self(rawValue: "store")
    /// The client was used after `shutdown()`.
    public static let closed = Self(rawValue: "closed")
}
