import AsyncHTTPClient
import Foundation
import Inference
import MLErrors
import NIOCore
import NIOHTTP1
import OpenAIWire
import Synchronization
import Locking

/// A client of one or more HTTP servers of one model (OpenAI-compatible servers, llama-server's native API,
/// mlx_lm.server) that POSTs JSON and streams the server-sent events of the reply token by token through an
/// ``EventStreamDecoder``, spreads requests over an ``EndpointPool``, retries what is safe to retry, and never
/// loses an error that arrives inside a stream. What a request and its events look like is the caller's.
///
/// It owns an `HTTPClient`; call ``shutdown()`` when done, or use ``withStreamingHTTPClient(baseURLs:apiKey:configuration:_:)``.
public final class StreamingHTTPClient: ClosableClient {
    public let pool: EndpointPool
    public let configuration: StreamingHTTPConfiguration
    private let apiKey: String?
    private let http: HTTPClient
    private let ownsHTTPClient: Bool
    private let isShutDown = Mutex(false)

    public init(
        baseURLs: [String],
        apiKey: String? = nil,
        configuration: StreamingHTTPConfiguration = StreamingHTTPConfiguration(),
        httpClient: HTTPClient? = nil
    ) {
        self.pool = EndpointPool(
            baseURLs: baseURLs,
            limitPerEndpoint: configuration.maxConcurrentPerEndpoint,
            coolDown: configuration.endpointCoolDown,
            onLimitReached: configuration.onLimitReached
        )
        self.configuration = configuration
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        if let httpClient {
            self.http = httpClient
            self.ownsHTTPClient = false
        } else {
            var http = HTTPClient.Configuration()
            http.timeout = .init(
                connect: .nanoseconds(Int64(configuration.connectTimeout.seconds * 1e9)),
                read: .nanoseconds(Int64(configuration.idleTimeout.seconds * 1e9))
            )
            // One connection per request the pool lets in flight: fewer would queue requests inside AHC, a cap
            // nobody would see.
            http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, configuration.maxConcurrentPerEndpoint)
            // Our retry policy (bounded, with backoff) handles failed connections; AHC's own retrying until the
            // connect timeout would make a dead endpoint cost the whole timeout on every attempt.
            http.connectionPool.retryConnectionEstablishment = false
            self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
            self.ownsHTTPClient = true
        }
    }

    public convenience init(baseURL: String, apiKey: String? = nil, configuration: StreamingHTTPConfiguration = StreamingHTTPConfiguration()) {
        self.init(baseURLs: [baseURL], apiKey: apiKey, configuration: configuration)
    }

    /// Closes the connections. Idempotent.
    public func shutdown() async {
        guard ownsHTTPClient, isShutDown.withLock({ done in defer { done = true }; return !done }) else { return }
        try? await http.shutdown()
    }

    deinit {
        // A client dropped without `shutdown()` still closes its connections (without blocking the deinit).
        guard ownsHTTPClient, isShutDown.withLock({ done in defer { done = true }; return !done }) else { return }
        let http = self.http
        http.shutdown(queue: .global()) { _ in _ = http }
    }

    /// GETs `path` from the first endpoint and decodes the JSON reply as `Reply` (no retries: a listing, not a
    /// generation). `what` names the reply in the error when it does not decode.
    public func getJSON<Reply: Decodable>(_ path: String, as type: Reply.Type = Reply.self, what: String) async throws -> Reply {
        let lease = try await pool.acquire()
        var failed = true
        defer { pool.release(lease, failed: failed) }
        var request = HTTPClientRequest(url: lease.baseURL + path)
        addHeaders(&request)
        let response = try await mapErrors { try await self.http.execute(request, timeout: self.timeAmount(self.configuration.requestTimeout)) }
        let body = try await mapErrors { try await response.body.collect(upTo: 16 << 20) }
        guard response.status == .ok else {
            failed = response.status.code >= 500
            throw InferenceError(
                .serverError,
                ErrorMessage.fromBody(Array(buffer: body), limit: configuration.maxErrorMessageBytes),
                status: Int(response.status.code)
            )
        }
        failed = false
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(body.readableBytesView)) else {
            throw InferenceError(.serverError, "GET \(path) returned no \(what)")
        }
        return reply
    }

    // MARK: - Streaming

    /// POSTs `body` to `path` and streams the server-sent events of the reply through a fresh decoder per
    /// attempt, with this client's pool, headers, timeouts and retry rules. Backends with their own event
    /// format (llama-server's native `/completion`) use this with their own decoder.
    public func streamEvents<Decoder: EventStreamDecoder>(
        path: String,
        body: some Encodable,
        decoder makeDecoder: @escaping @Sendable () -> Decoder
    ) -> Generation {
        let payload = Self.encode(body)
        return Generation.start { [self] sink in
            try await stream(path, payload: payload, decoder: makeDecoder, into: sink)
        }
    }

    /// Like ``streamEvents(path:body:decoder:)``, but runs in the caller's task and yields into the caller's
    /// `sink` — for a generation that wraps this request, one task and one stream hop less per token.
    public func streamEvents<Decoder: EventStreamDecoder>(
        path: String,
        body: some Encodable,
        decoder makeDecoder: @escaping @Sendable () -> Decoder,
        into sink: GenerationSink
    ) async throws -> GenerationOutcome {
        try await stream(path, payload: Self.encode(body), decoder: makeDecoder, into: sink)
    }

    /// Streams one request with retries (only while nothing was delivered).
    private func stream<Decoder: EventStreamDecoder>(
        _ path: String,
        payload: Data,
        decoder makeDecoder: @escaping @Sendable () -> Decoder,
        into sink: GenerationSink
    ) async throws -> GenerationOutcome {
        let started = ContinuousClock.now
        return try await withRetries(while: { sink.deliveredTokens == 0 }) {
            try await attemptStream(path, payload: payload, decoder: makeDecoder(), sink: sink, started: started)
        }
    }

    /// Runs `attempt` until it succeeds or fails for good. An ``AttemptFailure`` that may be retried is tried again
    /// after the policy's delay (at least a 429's `Retry-After`) while attempts remain, `mayRetry` holds, the task is
    /// not cancelled and the delay ends within the policy's total budget; any other error is thrown as it is.
    private func withRetries<T>(
        while mayRetry: () -> Bool = { true },
        _ attempt: () async throws -> T
    ) async throws -> T {
        let budgetEnd = ContinuousClock.now + configuration.retry.totalBudget
        var generator = SystemRandomNumberGenerator()
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try await attempt()
            } catch let failure as AttemptFailure {
                let delay = configuration.retry.delay(afterAttempt: attempts, retryAfter: failure.retryAfter, using: &generator)
                guard failure.retryable, mayRetry(), attempts < configuration.retry.maxAttempts, !Task.isCancelled,
                    ContinuousClock.now + delay < budgetEnd
                else { throw failure.error }
                try await Task.sleep(for: delay)
            }
        }
    }

    /// A failed attempt: the error, and whether trying again may help.
    struct AttemptFailure: Error {
        var error: InferenceError
        var retryable: Bool
        var retryAfter: Duration?
    }

    private func attemptStream<Decoder: EventStreamDecoder>(
        _ path: String,
        payload: Data,
        decoder initialDecoder: Decoder,
        sink: GenerationSink,
        started: ContinuousClock.Instant
    ) async throws -> GenerationOutcome {
        let lease = try await pool.acquire()
        var failed = false
        defer { pool.release(lease, failed: failed) }
        var request = HTTPClientRequest(url: lease.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        addHeaders(&request)
        request.body = .bytes(ByteBuffer(bytes: payload))

        let prepared = request
        let activity = Locked(ContinuousClock.now)
        let idleTimeout = configuration.idleTimeout
        let requestEnd = ContinuousClock.now + configuration.requestTimeout
        do {
            return try await withThrowingTaskGroup(of: GenerationOutcome?.self) { group in
                group.addTask {
                    let response = try await self.http.execute(prepared, deadline: .now() + self.timeAmount(self.configuration.requestTimeout))
                    activity.withLock { $0 = .now }
                    guard response.status == .ok else {
                        let body = (try? await response.body.collect(upTo: 64 << 10)).map { Array(buffer: $0) } ?? []
                        let status = Int(response.status.code)
                        throw AttemptFailure(
                            error: InferenceError(
                                .serverError,
                                ErrorMessage.fromBody(body, limit: self.configuration.maxErrorMessageBytes),
                                status: status
                            ),
                            retryable: RetryPolicy.isRetryable(status: status),
                            retryAfter: status == 429 ? Self.retryAfter(response.headers) : nil
                        )
                    }
                    var decoder = initialDecoder
                    if Self.isJSON(response.headers) {
                        // A server that ignores `"stream": true` answers with one JSON object: that is the reply.
                        let body = try await response.body.collect(upTo: 16 << 20)
                        activity.withLock { $0 = .now }
                        try decoder.handle(wholeReply: Array(buffer: body), sink: sink)
                        let elapsed = (ContinuousClock.now - started).seconds
                        return try decoder.outcome(delivered: sink.deliveredTokens, totalSeconds: elapsed, source: URLRedaction.printable(lease.baseURL))
                    }
                    var parser = ServerSentEventParser()
                    var done = false
                    for try await buffer in response.body {
                        activity.withLock { $0 = .now }
                        try parser.feed(buffer.readableBytesView) { event in
                            if !done { done = try decoder.handle(event, sink: sink) }
                        }
                        if done { break }
                    }
                    let elapsed = (ContinuousClock.now - started).seconds
                    return try decoder.outcome(delivered: sink.deliveredTokens, totalSeconds: elapsed, source: URLRedaction.printable(lease.baseURL))
                }
                group.addTask {
                    // Watchdog: idle time between chunks and the whole request's time.
                    let tick = min(idleTimeout / 4, .milliseconds(250))
                    while true {
                        try await Task.sleep(for: tick)
                        let now = ContinuousClock.now
                        if now - activity.current > idleTimeout {
                            throw InferenceError(.timeout, "no data from \(URLRedaction.printable(lease.baseURL)) for \(idleTimeout)")
                        }
                        if now > requestEnd {
                            throw InferenceError(.timeout, "the request to \(URLRedaction.printable(lease.baseURL)) took longer than \(self.configuration.requestTimeout)")
                        }
                    }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let outcome = result { return outcome }
                }
                throw CancellationError()
            }
        } catch let failure as AttemptFailure {
            failed = failure.retryable
            throw failure
        } catch let error as InferenceError {
            // Errors inside a 200 stream, truncation and timeouts. Timeouts before any token may be retried.
            let retryable = error.code == .timeout && sink.deliveredTokens == 0
            failed = error.code != .serverError
            throw retryable ? AttemptFailure(error: error, retryable: true) : error
        } catch {
            if Task.isCancelled || error is CancellationError { throw error }
            failed = true
            let mapped = Self.map(error, baseURL: lease.baseURL)
            if sink.deliveredTokens == 0 { throw AttemptFailure(error: mapped, retryable: true) }
            throw mapped
        }
    }

    /// Whether a reply's body is one JSON object (`application/json`, `application/x-json`…), not events.
    static func isJSON(_ headers: HTTPHeaders) -> Bool {
        guard let type = headers.first(name: "Content-Type")?.lowercased() else { return false }
        return type.contains("json") && !type.contains("event-stream")
    }

    /// POSTs a JSON body without streaming and decodes the JSON reply as `Reply`, with the same retry rules as a
    /// stream. A 200 reply carrying an `error` object is thrown.
    public func postJSON<Reply: Decodable>(_ path: String, body: some Encodable, as type: Reply.Type = Reply.self) async throws -> Reply {
        let payload = Self.encode(body)
        return try await withRetries { try await attemptPost(path, payload: payload, as: type) }
    }

    private func attemptPost<Reply: Decodable>(_ path: String, payload: Data, as type: Reply.Type) async throws -> Reply {
        let lease = try await pool.acquire()
        var request = HTTPClientRequest(url: lease.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        addHeaders(&request)
        request.body = .bytes(ByteBuffer(bytes: payload))
        let response: HTTPClientResponse
        let data: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(Int64(configuration.requestTimeout.seconds)))
            data = try await response.body.collect(upTo: 16 << 20)
        } catch {
            pool.release(lease, failed: true)
            if error is CancellationError { throw error }
            throw AttemptFailure(error: Self.map(error, baseURL: lease.baseURL), retryable: true)
        }
        let status = Int(response.status.code)
        if status == 200, let reply = try? JSONDecoder().decode(Reply.self, from: Data(data.readableBytesView)) {
            pool.release(lease, failed: false)
            if let error = (try? JSONDecoder().decode(ErrorField.self, from: Data(data.readableBytesView)))?.error {
                throw InferenceError(.serverError, ErrorMessage.truncate(error.message ?? "(no message)", configuration.maxErrorMessageBytes))
            }
            return reply
        }
        let retryable = RetryPolicy.isRetryable(status: status)
        pool.release(lease, failed: retryable)
        throw AttemptFailure(
            error: InferenceError(
                .serverError, ErrorMessage.fromBody(Array(buffer: data), limit: configuration.maxErrorMessageBytes), status: status),
            retryable: retryable,
            retryAfter: status == 429 ? Self.retryAfter(response.headers) : nil
        )
    }

    /// A body's JSON (keys sorted, so requests are byte-stable).
    public static func encode(_ body: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data("{}".utf8)
    }

    private func addHeaders(_ request: inout HTTPClientRequest) {
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        for (name, value) in configuration.extraHeaders { request.headers.add(name: name, value: value) }
    }

    private func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(min(duration.seconds, 1e9) * 1e9))
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as InferenceError { throw error } catch {
            if error is CancellationError { throw error }
            throw Self.map(error, baseURL: pool.baseURLs.first ?? "")
        }
    }

    /// A transport error as an ``InferenceError`` naming the endpoint (redacted: a password in a base URL never
    /// reaches a message).
    static func map(_ error: any Error, baseURL: String) -> InferenceError {
        let baseURL = URLRedaction.printable(baseURL)
        if let error = error as? HTTPClientError, error.isTimeout {
            return InferenceError(.timeout, "\(baseURL): \(error)", underlying: error)
        }
        return InferenceError(.transport, "\(baseURL): \(error)", underlying: error)
    }

    /// `Retry-After` as seconds or an HTTP date.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return .seconds(max(0, min(seconds, 3600))) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, min(date.timeIntervalSinceNow, 3600)))
    }
}

/// The `error` member of a reply, if any.
private struct ErrorField: Decodable {
    var error: ErrorDetail?
}

/// Runs `body` with a client that is shut down afterwards, whatever happens.
public func withStreamingHTTPClient<T>(
    baseURLs: [String],
    apiKey: String? = nil,
    configuration: StreamingHTTPConfiguration = StreamingHTTPConfiguration(),
    _ body: (StreamingHTTPClient) async throws -> T
) async throws -> T {
    try await StreamingHTTPClient(baseURLs: baseURLs, apiKey: apiKey, configuration: configuration).closing(after: body)
}
