import MLErrors

/// An error from the Recording module: a stable code, a message that says what went wrong, and the error it wraps.
public struct RecordingError: HTTPStatusError {
    /// A stable, machine-readable category.
    public struct Code: ErrorCode {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A point cannot be encoded as line protocol (empty name, no fields, non-finite float, newline…).
        public static let invalidPoint = Code(rawValue: "invalid_point")
        /// Input to a record builder is out of range.
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// The configuration lacks what a request needs (a database, an org, a bucket, a valid URL).
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// A token could not be resolved (unreadable or empty token file).
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// The server could not be reached.
        public static let transport = Code(rawValue: "transport")
        /// The request took longer than the configured timeout.
        public static let timeout = Code(rawValue: "timeout")
        /// The server answered with a non-2xx status.
        public static let serverError = Code(rawValue: "server_error")
        /// A query was rejected or its result carries an `error`.
        public static let queryFailed = Code(rawValue: "query_failed")
        /// The server's reply could not be understood.
        public static let invalidResponse = Code(rawValue: "invalid_response")
        /// The point buffer file could not be read or written.
        public static let buffer = Code(rawValue: "buffer")
        /// The score store could not be opened, migrated, read or written.
        public static let store = Code(rawValue: "store")
        /// The client was used after `shutdown()`.
        public static let closed = Code(rawValue: "closed")
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
