import Foundation
import HTTPStreaming
import HTTPTestSupport
import Inference
import Testing

/// The streaming client against scripted in-process servers (OpenAI-format events): streaming, errors inside a
/// stream, retries, truncation, timeouts and cancellation.
@Suite struct StreamingHTTPClientTests {
    static let fast = StreamingHTTPConfiguration(
        idleTimeout: .seconds(5),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
    )

    /// A streamed request in the OpenAI event format (what it asks for is the scripted server's business).
    static func stream(_ client: StreamingHTTPClient) -> Generation {
        client.streamEvents(path: "/v1/chat/completions", body: ["stream": true]) { OpenAIStreamDecoder() }
    }

    @discardableResult
    func withServer<T>(
        _ server: ScriptedHTTPServer,
        configuration: StreamingHTTPConfiguration = fast,
        _ body: (StreamingHTTPClient) async throws -> T
    ) async throws -> T {
        defer { Task { await server.shutdown() } }
        return try await withStreamingHTTPClient(baseURLs: [server.baseURL], configuration: configuration, body)
    }

    @Test func streamsTokensWithAMultiByteCharacterSplitAcrossChunks() async throws {
        let event = Array(OpenAIStreamEvents.chunk("日本").utf8)
        let split = event.firstIndex(of: 0xE6)! + 1  // inside the first 3-byte character
        let server = try await ScriptedHTTPServer(responses: [
            .init(status: 200, headers: [("Content-Type", "text/event-stream")], steps: [
                .chunk(Array(OpenAIStreamEvents.chunk("Hello").utf8)),
                .chunk(Array(event[..<split])), .delay(.milliseconds(20)), .chunk(Array(event[split...])),
                .chunk(Array((OpenAIStreamEvents.finish + OpenAIStreamEvents.done).utf8)),
            ])
        ])
        let tokens = try await withServer(server) { client in
            var tokens: [Token] = []
            for try await token in Self.stream(client) {
                tokens.append(token)
            }
            return tokens
        }
        #expect(tokens.map(\.text) == ["Hello", "日本"])
        #expect(tokens.allSatisfy { $0.id == nil }, "token ids must not be invented")
    }

    @Test(arguments: ["\n", "\r\n"])
    func eventStreamsWithLFAndCRLF(_ newline: String) async throws {
        let body = [OpenAIStreamEvents.chunk("a"), OpenAIStreamEvents.chunk("b"), OpenAIStreamEvents.finish, OpenAIStreamEvents.done].joined().replacingOccurrences(of: "\n", with: newline)
        let server = try await ScriptedHTTPServer(responses: [.events([body])])
        let text = try await withServer(server) { try await Self.stream($0).text() }
        #expect(text == "ab")
    }

    @Test func errorObjectMidStreamIsThrownWithTheServerMessage() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events([OpenAIStreamEvents.chunk("partial"), #"data: {"error":{"message":"context overflow at token 5","type":"server_error"}}"# + "\n\n"])
        ])
        try await withServer(server) { client in
            let generation = Self.stream(client)
            var received: [String] = []
            await #expect {
                for try await token in generation { received.append(token.text) }
            } throws: { ($0 as? InferenceError)?.message == "context overflow at token 5" }
            #expect(received == ["partial"])
            #expect(await generation.finished().finishReason == .error)
        }
        #expect(server.requests.count == 1, "an error after a token must not be retried")
    }

    @Test func serverErrorThenSuccessIsRetried() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"overloaded"}}"#, status: 500),
            .events([OpenAIStreamEvents.chunk("ok"), OpenAIStreamEvents.finish, OpenAIStreamEvents.done]),
        ])
        let text = try await withServer(server) { try await Self.stream($0).text() }
        #expect(text == "ok")
        #expect(server.requests.count == 2)
    }

    @Test func badRequestIsNotRetriedAndItsMessageSurfaces() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"'messages' must not be empty","type":"invalid_request_error"}}"#, status: 400),
            .events([OpenAIStreamEvents.chunk("never"), OpenAIStreamEvents.finish, OpenAIStreamEvents.done]),
        ])
        try await withServer(server) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { error in
                let error = error as? InferenceError
                return error?.status == 400 && error?.message == "'messages' must not be empty"
            }
        }
        #expect(server.requests.count == 1)
    }

    @Test func longErrorMessagesAreTruncated() async throws {
        let long = String(repeating: "x", count: 5000)
        let server = try await ScriptedHTTPServer(responses: [.body(long, status: 404, contentType: "text/plain")])
        let configuration = StreamingHTTPConfiguration(retry: .none, maxErrorMessageBytes: 100)
        try await withServer(server, configuration: configuration) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { (($0 as? InferenceError)?.message.utf8.count ?? 0) <= 104 }
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", "1")]),
            .events([OpenAIStreamEvents.chunk("ok"), OpenAIStreamEvents.finish, OpenAIStreamEvents.done]),
        ])
        let started = ContinuousClock.now
        let text = try await withServer(server) { try await Self.stream($0).text() }
        #expect(text == "ok")
        #expect(server.requests.count == 2)
        #expect(ContinuousClock.now - started >= .milliseconds(950), "the retry came before Retry-After allowed")
    }

    /// A retry whose delay (here a 429's `Retry-After`) would end beyond the total budget is not made, by a stream
    /// or by a plain POST: the failure is thrown at once.
    @Test(arguments: [true, false])
    func aRetryBeyondTheTimeBudgetIsNotMade(streamed: Bool) async throws {
        struct Reply: Decodable { var ok: Bool }
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", "30")]),
            streamed ? .events([OpenAIStreamEvents.chunk("ok"), OpenAIStreamEvents.finish, OpenAIStreamEvents.done]) : .body(#"{"ok":true}"#),
        ])
        let configuration = StreamingHTTPConfiguration(retry: RetryPolicy(maxAttempts: 3, totalBudget: .seconds(10)))
        let started = ContinuousClock.now
        try await withServer(server, configuration: configuration) { client in
            await #expect {
                if streamed {
                    _ = try await Self.stream(client).text()
                } else {
                    _ = try await client.postJSON("/v1/completions", body: ["prompt": "x"], as: Reply.self)
                }
            } throws: { ($0 as? InferenceError)?.status == 429 }
        }
        #expect(server.requests.count == 1)
        #expect(ContinuousClock.now - started < .seconds(10), "the client waited for a retry it could not make")
    }

    @Test func retriesStopAtMaxAttempts() async throws {
        let server = try await ScriptedHTTPServer(responses: [.body("down", status: 503, contentType: "text/plain")])
        try await withServer(server) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { ($0 as? InferenceError)?.status == 503 }
        }
        #expect(server.requests.count == 3)
    }

    @Test func streamCutBeforeDoneIsReportedAsTruncated() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.chunk("a"), OpenAIStreamEvents.chunk("b")], end: .cut)])
        try await withServer(server) { client in
            var received = ""
            await #expect {
                for try await token in Self.stream(client) {
                    received += token.text
                }
            } throws: { error in
                let code = (error as? InferenceError)?.code
                return code == .truncated || code == .transport
            }
            #expect(received == "ab")
        }
        #expect(server.requests.count == 1, "a stream that delivered tokens must not be retried")
    }

    @Test func streamEndingCleanlyWithoutDoneOrFinishIsTruncated() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.chunk("a")])])
        try await withServer(server) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { ($0 as? InferenceError)?.code == .truncated }
        }
    }

    /// A 200 that carries no completion is a failure naming what was wrong, never an empty answer.
    @Test(arguments: [
        ScriptedHTTPServer.Response.events(["this is not an event stream\n\n", OpenAIStreamEvents.done]),
        ScriptedHTTPServer.Response.events(["data: {\"id\":\"x\"}\n\n", OpenAIStreamEvents.done]),
        ScriptedHTTPServer.Response.body(#"{"choices":"nope"}"#),
        ScriptedHTTPServer.Response.body(#"{"object":"chat.completion"}"#),
    ])
    func aReplyWithoutAnyChoiceIsAnInvalidReply(_ response: ScriptedHTTPServer.Response) async throws {
        let server = try await ScriptedHTTPServer(responses: [response])
        try await withServer(server) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { error in
                guard let error = error as? InferenceError else { return false }
                return error.code == .invalidReply && error.message.contains("no completion")
            }
        }
    }

    /// A choice that ends at once (no content, a finish reason) is a legitimate empty answer.
    @Test func aChoiceWithAFinishReasonAndNoContentIsAnEmptyAnswer() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.finish, OpenAIStreamEvents.done])])
        let text = try await withServer(server) { try await Self.stream($0).text() }
        #expect(text == "")
    }

    /// A password in a base URL never reaches an error message.
    @Test func anUnreachableEndpointsErrorHasNoPassword() async throws {
        let configuration = StreamingHTTPConfiguration(retry: .none)
        let error = await #expect(throws: InferenceError.self) {
            try await withStreamingHTTPClient(baseURLs: ["http://user:secret@127.0.0.1:1/"], configuration: configuration) {
                try await Self.stream($0).text()
            }
        }
        let described = "\(error.map { $0 as any Error } ?? CancellationError())"
        #expect(!described.contains("secret") && !described.contains("user"))
        #expect(described.contains("127.0.0.1:1"))
    }

    @Test func idleServerTimesOut() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.chunk("a")], end: .hang)])
        let configuration = StreamingHTTPConfiguration(idleTimeout: .milliseconds(300), retry: .none)
        try await withServer(server, configuration: configuration) { client in
            await #expect {
                _ = try await Self.stream(client).text()
            } throws: { ($0 as? InferenceError)?.code == .timeout }
        }
    }

    @Test func cancellingTheConsumerDisconnectsFromTheServer() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events((0..<1000).map { OpenAIStreamEvents.chunk("t\($0) ") }, delay: .milliseconds(10))
        ])
        try await withServer(server) { client in
            let generation = Self.stream(client)
            var count = 0
            for try await _ in generation {
                count += 1
                if count == 3 { break }
            }
            #expect(await generation.finished().finishReason == .cancelled)
            let deadline = ContinuousClock.now + .seconds(2)
            while server.disconnects == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(server.disconnects == 1, "the server did not see the disconnect")
            #expect(server.completed == 0)
        }
    }

    @Test func usageAndTimingsBecomeMetricsAndFinishReasonIsKept() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events([
                OpenAIStreamEvents.chunk("a"),
                #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"timings":{"prompt_n":12,"prompt_ms":30.0,"predicted_n":1,"predicted_ms":8.0}}"# + "\n\n",
                #"data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}"# + "\n\n",
                OpenAIStreamEvents.done,
            ])
        ])
        let summary = try await withServer(server) { client in
            let generation = Self.stream(client)
            _ = try await generation.text()
            return await generation.finished()
        }
        #expect(summary.finishReason == .length)
        #expect(summary.metrics.promptTokens == 12)
        #expect(summary.metrics.generatedTokens == 1)
        #expect(summary.metrics.prefillDuration == 0.03)
        #expect(summary.metrics.decodeDuration == 0.008)
    }
}
