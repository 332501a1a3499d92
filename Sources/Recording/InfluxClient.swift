import AsyncHTTPClient
import Foundation
import HTTPStreaming
import Logging
import MLErrors
import NIOCore
import NIOHTTP1
import Synchronization

/// An InfluxDB HTTP client (v1, v2 or v3 API): line-protocol writes split into batches, InfluxQL (v1) and
/// SQL (v3) queries.
///
/// It owns an `HTTPClient`; call ``shutdown()`` when done, or use ``withInfluxClient(configuration:logger:_:)``.
public final class InfluxClient: ClosableClient {
    public let configuration: InfluxConfiguration
    private let baseURL: String
    private let http: HTTPClient
    private let logger: Logger
    private let isShutDown = Mutex(false)

    public init(configuration: InfluxConfiguration, logger: Logger = Logger(label: "swift-ml.recording.influx")) {
        self.configuration = configuration
        var base = configuration.url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.logger = logger
        var http = HTTPClient.Configuration()
        let timeout = Self.timeAmount(configuration.timeout)
        http.timeout = .init(connect: timeout, read: timeout)
        // A down server must fail the write at once (the recorder buffers it), not after retrying connections
        // until the connect timeout.
        http.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    /// Closes the connections. Idempotent.
    public func shutdown() async {
        guard
            isShutDown.withLock({ done in
                defer { done = true }
                return !done
            })
        else { return }
        try? await http.shutdown()
    }

    deinit {
        // A client dropped without `shutdown()` still closes its connections (without blocking the deinit).
        guard
            isShutDown.withLock({ done in
                defer { done = true }
                return !done
            })
        else { return }
        let http = self.http
        http.shutdown(queue: .global()) { _ in _ = http }
    }

    // MARK: - Writing

    /// Encodes and writes points, in batches of ``InfluxConfiguration/batchSize`` lines.
    public func write(_ points: [InfluxPoint]) async throws {
        try await write(lines: LineProtocol.lines(points))
    }

    /// Writes line-protocol lines in batches of ``InfluxConfiguration/batchSize``; stops at the first failed batch.
    public func write(lines: [String]) async throws {
        for batch in batches(lines) { try await writeBatch(batch) }
    }

    /// `lines` cut into batches of at most ``InfluxConfiguration/batchSize`` lines.
    public func batches(_ lines: [String]) -> [[String]] {
        let size = max(1, configuration.batchSize)
        return stride(from: 0, to: lines.count, by: size).map { Array(lines[$0..<min($0 + size, lines.count)]) }
    }

    /// Sends `lines` as one write request, whatever its size. Non-2xx replies throw with the server's message.
    public func writeBatch(_ lines: [String]) async throws {
        guard !lines.isEmpty else { return }
        let target = try writeTarget()
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        addAuthorization(&request)
        request.body = .bytes(ByteBuffer(string: lines.joined(separator: "\n")))
        let (status, body) = try await send(request, limit: 1 << 20)
        guard (200..<300).contains(status) else {
            throw RecordingError(
                .serverError,
                "write of \(lines.count) lines failed: \(Self.message(fromBody: body, limit: configuration.maxErrorMessageLength))",
                status: status
            )
        }
        logger.debug("wrote to InfluxDB", metadata: ["lines": "\(lines.count)", "api": "\(configuration.apiVersion)"])
    }

    /// The path and query of a write for the configured API version.
    func writeTarget() throws -> String {
        switch configuration.apiVersion {
        case .v1:
            return "/write?db=\(Self.percentEncode(try required(configuration.database, "database")))&precision=ns"
        case .v2:
            let org = Self.percentEncode(try required(configuration.org, "org"))
            let bucket = Self.percentEncode(try required(configuration.bucket, "bucket"))
            return "/api/v2/write?org=\(org)&bucket=\(bucket)&precision=ns"
        case .v3:
            return
                "/api/v3/write_lp?db=\(Self.percentEncode(try required(configuration.database, "database")))&precision=nanosecond"
        }
    }

    // MARK: - Queries

    /// Runs an InfluxQL read query (v1 `GET /query`); timestamps come back as integers in `epoch` units.
    /// An `error` in the reply, top-level or per statement, is thrown.
    public func query(_ influxQL: String, epoch: String? = "ns") async throws -> [InfluxSeries] {
        try await runInfluxQL(influxQL, epoch: epoch, post: false)
    }

    /// Runs an InfluxQL statement that changes state (`CREATE DATABASE`, `DROP …`) with v1 `POST /query`.
    @discardableResult
    public func execute(_ influxQL: String) async throws -> [InfluxSeries] {
        try await runInfluxQL(influxQL, epoch: nil, post: true)
    }

    private func runInfluxQL(_ text: String, epoch: String?, post: Bool) async throws -> [InfluxSeries] {
        guard configuration.apiVersion == .v1 else {
            throw RecordingError(
                .invalidConfiguration,
                "InfluxQL queries need the v1 API (configured: \(configuration.apiVersion))"
            )
        }
        var parameters = ["q=" + Self.percentEncode(text)]
        if let database = configuration.database, !database.isEmpty {
            parameters.insert("db=" + Self.percentEncode(database), at: 0)
        }
        if let epoch { parameters.append("epoch=" + Self.percentEncode(epoch)) }
        var request: HTTPClientRequest
        if post {
            request = HTTPClientRequest(url: baseURL + "/query")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: parameters.joined(separator: "&")))
        } else {
            request = HTTPClientRequest(url: baseURL + "/query?" + parameters.joined(separator: "&"))
        }
        addAuthorization(&request)
        let (status, body) = try await sendQuery(request, language: "InfluxQL")
        let reply: InfluxQLReply
        do {
            reply = try JSONDecoder().decode(InfluxQLReply.self, from: Data(body))
        } catch {
            throw RecordingError(
                .invalidResponse,
                "the InfluxQL reply is not the expected JSON: \(error)",
                status: status,
                underlying: error
            )
        }
        if let error = reply.error {
            throw RecordingError(.queryFailed, "InfluxQL query failed: \(error)", status: status)
        }
        var series: [InfluxSeries] = []
        for result in reply.results ?? [] {
            if let error = result.error {
                throw RecordingError(.queryFailed, "InfluxQL query failed: \(error)", status: status)
            }
            series += result.series ?? []
        }
        return series
    }

    private struct InfluxQLReply: Decodable {
        struct Result: Decodable {
            var series: [InfluxSeries]?
            var error: String?
        }
        var results: [Result]?
        var error: String?
    }

    /// Runs a SQL query (v3 `POST /api/v3/query_sql`, JSON format) and returns its rows.
    public func querySQL(_ sql: String) async throws -> [[String: InfluxValue]] {
        guard configuration.apiVersion == .v3 else {
            throw RecordingError(
                .invalidConfiguration,
                "SQL queries need the v3 API (configured: \(configuration.apiVersion))"
            )
        }
        let database = try required(configuration.database, "database")
        var request = HTTPClientRequest(url: baseURL + "/api/v3/query_sql")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        addAuthorization(&request)
        let payload = try JSONEncoder().encode(["db": database, "q": sql, "format": "json"])
        request.body = .bytes(ByteBuffer(bytes: payload))
        let (status, body) = try await sendQuery(request, language: "SQL")
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [] }
        do {
            return try JSONDecoder().decode([[String: InfluxValue]].self, from: Data(body))
        } catch {
            throw RecordingError(
                .invalidResponse,
                "the SQL reply is not a JSON array of rows: \(Self.message(fromBody: body, limit: configuration.maxErrorMessageLength))",
                status: status,
                underlying: error
            )
        }
    }

    /// Whether the server answers `GET /ping` with a 2xx status (InfluxDB 1.x answers 204).
    public func ping() async -> Bool {
        guard let status = await pingStatus() else { return false }
        return (200..<300).contains(status)
    }

    /// The status of `GET /ping`; `nil` when the server cannot be reached.
    public func pingStatus() async -> Int? {
        var request = HTTPClientRequest(url: baseURL + "/ping")
        addAuthorization(&request)
        return try? await send(request, limit: 1 << 16).0
    }

    // MARK: - Plumbing

    private func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else {
            throw RecordingError(
                .invalidConfiguration,
                "the \(configuration.apiVersion) API needs a \(name) in InfluxConfiguration"
            )
        }
        return value
    }

    private func addAuthorization(_ request: inout HTTPClientRequest) {
        guard let token = configuration.token else { return }
        let scheme = configuration.apiVersion == .v3 ? "Bearer" : "Token"
        request.headers.add(name: "Authorization", value: "\(scheme) \(token.secret)")
    }

    /// Sends a query; a non-2xx reply throws `<language> query failed: <the server's message>` (a 400 is the
    /// query's own failure, any other status the server's).
    private func sendQuery(_ request: HTTPClientRequest, language: String) async throws -> (Int, [UInt8]) {
        let (status, body) = try await send(request, limit: 64 << 20)
        guard (200..<300).contains(status) else {
            let message = Self.message(fromBody: body, limit: configuration.maxErrorMessageLength)
            throw RecordingError(status == 400 ? .queryFailed : .serverError, "\(language) query failed: \(message)", status: status)
        }
        return (status, body)
    }

    private func send(_ request: HTTPClientRequest, limit: Int) async throws -> (Int, [UInt8]) {
        if isShutDown.withLock({ $0 }) { throw RecordingError(.closed, "the InfluxDB client was shut down") }
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(configuration.timeout))
            let body = try await response.body.collect(upTo: limit)
            return (Int(response.status.code), Array(buffer: body))
        } catch let error as RecordingError {
            throw error
        } catch {
            if error is CancellationError { throw error }
            throw Self.map(error, url: baseURL)
        }
    }

    static func map(_ error: any Error, url: String) -> RecordingError {
        let url = URLRedaction.printable(url)
        if let error = error as? HTTPClientError, error.isTimeout {
            return RecordingError(.timeout, "InfluxDB at \(url) did not answer in time: \(error)", underlying: error)
        }
        return RecordingError(.transport, "cannot reach InfluxDB at \(url): \(error)", underlying: error)
    }

    /// The server's error text: the `error` or `message` of a JSON body, else the body, cut to `limit` characters.
    static func message(fromBody body: [UInt8], limit: Int) -> String {
        var text = String(decoding: body, as: UTF8.self)
        if let reply = try? JSONDecoder().decode(ErrorReply.self, from: Data(body)), let said = reply.error ?? reply.message {
            text = said
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "(empty reply)" }
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// An error reply's text: `error` or `message`, whichever is a string (a field of another type counts as none).
    private struct ErrorReply: Decodable {
        var error: String?
        var message: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case error, message }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (`+` included, which servers read as a space).
    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(min(max(duration, .zero), .seconds(86_400)) / .nanoseconds(1)))
    }
}

/// Runs `body` with a client that is shut down afterwards, whatever happens.
public func withInfluxClient<T>(
    configuration: InfluxConfiguration,
    logger: Logger = Logger(label: "swift-ml.recording.influx"),
    _ body: (InfluxClient) async throws -> T
) async throws -> T {
    try await InfluxClient(configuration: configuration, logger: logger).closing(after: body)
}
