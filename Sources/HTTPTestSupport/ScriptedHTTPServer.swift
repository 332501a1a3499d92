import Foundation
import Inference
import JSONValues
import NIOCore
import NIOHTTP1
import NIOPosix
import Locking

/// A fake HTTP peer for tests of HTTP clients: an in-process server on a loopback port whose every response
/// is scripted by the test, step by step (chunks, delays, a cut connection, a hang).
///
/// It records every request and every connection the client closed while a response was still going, so a
/// test can observe that cancelling a client really disconnects, and the most requests it had in flight at once
/// (received, response not yet ended), so a test can observe the concurrency a client really reached.
package final class ScriptedHTTPServer: Sendable {
    /// A request as the server received it.
    package struct Request: Sendable {
        package var method: String
        package var uri: String
        package var headers: [(String, String)]
        package var body: Data

        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The body parsed as a JSON object, if it is one.
        package var json: [String: JSONValue]? {
            (try? JSONDecoder().decode(JSONValue.self, from: body))?.objectValue
        }
    }

    /// One step of a scripted response body.
    package enum Step: Sendable {
        /// Send these bytes as one chunk.
        case chunk([UInt8])
        /// Wait before the next step.
        case delay(Duration)
        /// Close the connection abruptly (no terminating chunk).
        case cut
        /// Never send anything more (until the client goes away).
        case hang
    }

    /// A scripted response.
    package struct Response: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var steps: [Step]

        package init(status: Int = 200, headers: [(String, String)] = [], steps: [Step] = []) {
            self.status = status
            self.headers = headers
            self.steps = steps
        }

        /// A complete response with a JSON or text body.
        package static func body(_ text: String, status: Int = 200, contentType: String = "application/json",
                                headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", contentType)] + headers, steps: [.chunk(Array(text.utf8))])
        }

        /// A server-sent-events response whose chunks are the given strings.
        package static func events(_ chunks: [String], delay: Duration? = nil, end: Step? = nil) -> Response {
            var steps: [Step] = []
            for chunk in chunks {
                if let delay { steps.append(.delay(delay)) }
                steps.append(.chunk(Array(chunk.utf8)))
            }
            if let end { steps.append(end) }
            return Response(status: 200, headers: [("Content-Type", "text/event-stream")], steps: steps)
        }
    }

    private struct State {
        var requests: [Request] = []
        var disconnects = 0
        var completed = 0
        var inFlight = 0
        var peakInFlight = 0
    }

    package typealias Handler = @Sendable (Request, Int) async -> Response

    private let handler: Handler
    private let state = Locked(State())
    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let serverTask: Task<Void, Never>
    /// The port the server listens on (127.0.0.1).
    package let port: Int

    /// `http://127.0.0.1:PORT`
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far.
    package var requests: [Request] { state.withLock { $0.requests } }
    /// Responses the client abandoned before the server finished them (the client disconnected).
    package var disconnects: Int { state.withLock { $0.disconnects } }
    /// Responses sent to the end.
    package var completed: Int { state.withLock { $0.completed } }
    /// Requests received whose response has not ended yet.
    package var inFlight: Int { state.withLock { $0.inFlight } }
    /// The most requests in flight at once so far.
    package var peakInFlight: Int { state.withLock { $0.peakInFlight } }

    /// Starts a server on `port` (0: a free one) whose responses come from `handler`, called with the request and
    /// its index (0-based).
    package init(port: Int = 0, handler: @escaping Handler) async throws {
        self.handler = handler
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        self.channel = channel
        self.port = channel.channel.localAddress?.port ?? 0
        let state = self.state
        self.serverTask = Task {
            try? await withThrowingDiscardingTaskGroup { group in
                try await channel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await Self.serve(connection, handler: handler, state: state) }
                    }
                }
            }
        }
    }

    /// Convenience: the same response to every request, or one response per request index.
    package convenience init(responses: [Response]) async throws {
        try await self.init { _, index in responses[min(index, responses.count - 1)] }
    }

    /// Stops listening and closes the connections.
    package func shutdown() async {
        try? await channel.channel.close()
        serverTask.cancel()
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        handler: Handler,
        state: Locked<State>
    ) async {
        // Shared with the reader task, so a reference.
        let closed = Locked(false)
        try? await connection.executeThenClose { inbound, outbound in
            // Read requests in one task and answer them in order; EOF marks the connection closed.
            let (requests, continuation) = AsyncStream<Request>.makeStream()
            let reader = Task {
                var head: HTTPRequestHead?
                var body = Data()
                do {
                    for try await part in inbound {
                        switch part {
                        case .head(let h):
                            head = h
                            body = Data()
                        case .body(var buffer):
                            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
                        case .end:
                            if let h = head {
                                continuation.yield(
                                    Request(method: h.method.rawValue, uri: h.uri,
                                            headers: h.headers.map { ($0.name, $0.value) }, body: body))
                            }
                            head = nil
                        }
                    }
                } catch {}
                closed.withLock { $0 = true }
                continuation.finish()
            }
            defer { reader.cancel() }
            for await request in requests {
                let index = state.withLock { state -> Int in
                    state.requests.append(request)
                    state.inFlight += 1
                    state.peakInFlight = max(state.peakInFlight, state.inFlight)
                    return state.requests.count - 1
                }
                defer { state.withLock { $0.inFlight -= 1 } }
                let response = await handler(request, index)
                var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status))
                for (name, value) in response.headers { head.headers.add(name: name, value: value) }
                do {
                    try await outbound.write(.head(head))
                    for step in response.steps {
                        switch step {
                        case .chunk(let bytes):
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        case .delay(let duration):
                            try await sleep(duration, unlessClosed: closed)
                        case .cut:
                            state.withLock { $0.completed += 1 }
                            return
                        case .hang:
                            while !closed.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                            throw CancellationError()
                        }
                        if closed.withLock({ $0 }) { throw CancellationError() }
                    }
                    try await outbound.write(.end(nil))
                    state.withLock { $0.completed += 1 }
                } catch {
                    state.withLock { $0.disconnects += 1 }
                    return
                }
            }
        }
    }

    private static func sleep(_ duration: Duration, unlessClosed closed: Locked<Bool>) async throws {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if closed.withLock({ $0 }) { throw CancellationError() }
            try await Task.sleep(for: min(.milliseconds(5), end - ContinuousClock.now))
        }
    }
}
