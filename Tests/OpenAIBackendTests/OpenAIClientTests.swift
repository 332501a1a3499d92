import Foundation
import HTTPTestSupport
import Inference
import JSONValues
@testable import OpenAIBackend
import Testing

/// The HTTP backend against scripted in-process servers: every behaviour of the wire protocol.
@Suite struct OpenAIClientTests {
    static func chunk(_ text: String) -> String {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
        return #"data: {"choices":[{"index":0,"delta":{"content":"# + escaped + "}}]}\n\n"
    }
    static let finish = #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
    static let done = "data: [DONE]\n\n"

    static let fast = OpenAIConfiguration(
        idleTimeout: .seconds(5),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
    )

    @discardableResult
    func withServer<T>(
        _ server: ScriptedHTTPServer,
        configuration: OpenAIConfiguration = fast,
        apiKey: String? = nil,
        _ body: (OpenAIClient) async throws -> T
    ) async throws -> T {
        defer { Task { await server.shutdown() } }
        return try await withOpenAIClient(baseURLs: [server.baseURL], apiKey: apiKey, configuration: configuration, body)
    }

    @Test func streamsTokensWithAMultiByteCharacterSplitAcrossChunks() async throws {
        let event = Array(Self.chunk("日本").utf8)
        let split = event.firstIndex(of: 0xE6)! + 1  // inside the first 3-byte character
        let server = try await ScriptedHTTPServer(responses: [
            .init(status: 200, headers: [("Content-Type", "text/event-stream")], steps: [
                .chunk(Array(Self.chunk("Hello").utf8)),
                .chunk(Array(event[..<split])), .delay(.milliseconds(20)), .chunk(Array(event[split...])),
                .chunk(Array((Self.finish + Self.done).utf8)),
            ])
        ])
        let tokens = try await withServer(server) { client in
            var tokens: [Token] = []
            for try await token in client.chat(model: "m", messages: [.user("hi")], options: GenerateOptions()) {
                tokens.append(token)
            }
            return tokens
        }
        #expect(tokens.map(\.text) == ["Hello", "日本"])
        #expect(tokens.allSatisfy { $0.id == nil }, "token ids must not be invented")
    }

    @Test(arguments: ["\n", "\r\n"])
    func eventStreamsWithLFAndCRLF(_ newline: String) async throws {
        let body = [Self.chunk("a"), Self.chunk("b"), Self.finish, Self.done].joined().replacingOccurrences(of: "\n", with: newline)
        let server = try await ScriptedHTTPServer(responses: [.events([body])])
        let text = try await withServer(server) { try await $0.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text() }
        #expect(text == "ab")
    }

    @Test func errorObjectMidStreamIsThrownWithTheServerMessage() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events([Self.chunk("partial"), #"data: {"error":{"message":"context overflow at token 5","type":"server_error"}}"# + "\n\n"])
        ])
        try await withServer(server) { client in
            let generation = client.chat(model: nil, messages: [.user("x")], options: GenerateOptions())
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
            .events([Self.chunk("ok"), Self.finish, Self.done]),
        ])
        let text = try await withServer(server) { try await $0.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text() }
        #expect(text == "ok")
        #expect(server.requests.count == 2)
    }

    @Test func badRequestIsNotRetriedAndItsMessageSurfaces() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"'messages' must not be empty","type":"invalid_request_error"}}"#, status: 400),
            .events([Self.chunk("never"), Self.finish, Self.done]),
        ])
        try await withServer(server) { client in
            await #expect {
                _ = try await client.chat(model: nil, messages: [], options: GenerateOptions()).text()
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
        let configuration = OpenAIConfiguration(retry: .none, maxErrorMessageBytes: 100)
        try await withServer(server, configuration: configuration) { client in
            await #expect {
                _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text()
            } throws: { (($0 as? InferenceError)?.message.utf8.count ?? 0) <= 104 }
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", "1")]),
            .events([Self.chunk("ok"), Self.finish, Self.done]),
        ])
        let started = ContinuousClock.now
        let text = try await withServer(server) { try await $0.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text() }
        #expect(text == "ok")
        #expect(server.requests.count == 2)
        #expect(ContinuousClock.now - started >= .milliseconds(950), "the retry came before Retry-After allowed")
    }

    @Test func retriesStopAtMaxAttempts() async throws {
        let server = try await ScriptedHTTPServer(responses: [.body("down", status: 503, contentType: "text/plain")])
        try await withServer(server) { client in
            await #expect {
                _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text()
            } throws: { ($0 as? InferenceError)?.status == 503 }
        }
        #expect(server.requests.count == 3)
    }

    @Test func streamCutBeforeDoneIsReportedAsTruncated() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([Self.chunk("a"), Self.chunk("b")], end: .cut)])
        try await withServer(server) { client in
            var received = ""
            await #expect {
                for try await token in client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()) {
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
        let server = try await ScriptedHTTPServer(responses: [.events([Self.chunk("a")])])
        try await withServer(server) { client in
            await #expect {
                _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text()
            } throws: { ($0 as? InferenceError)?.code == .truncated }
        }
    }

    @Test func idleServerTimesOut() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([Self.chunk("a")], end: .hang)])
        let configuration = OpenAIConfiguration(idleTimeout: .milliseconds(300), retry: .none)
        try await withServer(server, configuration: configuration) { client in
            await #expect {
                _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text()
            } throws: { ($0 as? InferenceError)?.code == .timeout }
        }
    }

    @Test func cancellingTheConsumerDisconnectsFromTheServer() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events((0..<1000).map { Self.chunk("t\($0) ") }, delay: .milliseconds(10))
        ])
        try await withServer(server) { client in
            let generation = client.chat(model: nil, messages: [.user("x")], options: GenerateOptions())
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

    @Test func sendsOnlyTheParametersThatAreSetAndTheKey() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([Self.finish, Self.done])])
        try await withServer(server, apiKey: "sk-test") { client in
            _ = try await client.chat(model: "m1", messages: [.user("x")], options: GenerateOptions(maxTokens: 5, topK: 3, stop: ["\n"], seed: 9)).text()
            _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions()).text()
        }
        let first = try #require(server.requests.first?.json)
        #expect(Set(first.keys) == ["model", "messages", "max_tokens", "top_k", "stop", "seed", "stream", "stream_options"])
        #expect(first["max_tokens"]?.intValue == 5)
        #expect(first["stream_options"]?["include_usage"]?.boolValue == true)
        #expect(server.requests.first?.header("Authorization") == "Bearer sk-test")
        #expect(server.requests.first?.uri == "/v1/chat/completions")
        let second = try #require(server.requests.last?.json)
        #expect(Set(second.keys) == ["messages", "stream", "stream_options"])
    }

    @Test func responseFormatSchemaIsSent() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([Self.finish, Self.done])])
        let schema = #"{"type":"object","properties":{"score":{"type":"integer"}}}"#
        try await withServer(server) { client in
            _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions(responseFormat: .jsonSchema(name: "s", schema: schema))).text()
        }
        let format = try #require(server.requests.first?.json?["response_format"]?.objectValue)
        #expect(format["type"]?.stringValue == "json_schema")
        let inner = try #require(format["json_schema"]?.objectValue)
        #expect(inner["schema"]?["type"]?.stringValue == "object")
    }

    @Test func usageAndTimingsBecomeMetricsAndFinishReasonIsKept() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .events([
                Self.chunk("a"),
                #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"timings":{"prompt_n":12,"prompt_ms":30.0,"predicted_n":1,"predicted_ms":8.0}}"# + "\n\n",
                #"data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}"# + "\n\n",
                Self.done,
            ])
        ])
        let summary = try await withServer(server) { client in
            let generation = client.chat(model: nil, messages: [.user("x")], options: GenerateOptions())
            _ = try await generation.text()
            return await generation.finished()
        }
        #expect(summary.finishReason == .length)
        #expect(summary.metrics.promptTokens == 12)
        #expect(summary.metrics.generatedTokens == 1)
        #expect(summary.metrics.prefillDuration == 0.03)
        #expect(summary.metrics.decodeDuration == 0.008)
    }

    @Test func listsModels() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"object":"list","data":[{"id":"smol","object":"model","owned_by":"me"},{"id":"big","object":"model"}]}"#)
        ])
        let models = try await withServer(server) { try await $0.models() }
        #expect(models.map(\.id) == ["smol", "big"])
        #expect(server.requests.first?.uri == "/v1/models")
    }

    @Test func classifyReadsTopLogprobs() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"choices":[{"text":"Yes","logprobs":{"content":[{"token":"Yes","logprob":-0.1,"top_logprobs":[{"token":"Yes","logprob":-0.1},{"token":"No","logprob":-2.5}]}]}}]}"#)
        ])
        let results = try await withServer(server) { client in
            try await OpenAIModel(client: client, modelName: "m").classify(["Is it?"], options: ClassifyOptions(topLogprobs: 2))
        }
        #expect(results.first?.token.text == "Yes")
        #expect(results.first?.logprobs?.map(\.token.text) == ["Yes", "No"])
        let body = try #require(server.requests.first?.json)
        #expect(body["max_tokens"]?.intValue == 1)
        #expect(body["logprobs"]?.intValue == 2)
    }

    /// A server that ignores `"stream": true` and answers with one JSON object: that is the whole reply, with its
    /// finish reason and usage, not a stream cut short (before, it was reported as truncated).
    @Test func aWholeJSONReplyToAStreamedRequestIsTheReply() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"all at once"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}"#),
            .body(#"{"object":"text_completion","choices":[{"index":0,"text":"raw","finish_reason":"stop"}]}"#, contentType: "application/json; charset=utf-8"),
            .body(#"{"error":{"message":"no such model","code":404}}"#),
        ])
        try await withServer(server) { client in
            let chat = client.chat(model: "m", messages: [.user("hi")], options: GenerateOptions())
            let text = try await chat.text()
            #expect(text == "all at once")
            let summary = await chat.finished()
            #expect(summary.finishReason == .length)
            #expect(summary.metrics.promptTokens == 3 && summary.metrics.generatedTokens == 4)
            let raw = try await client.complete(model: "m", prompt: "p", options: GenerateOptions()).text()
            #expect(raw == "raw")
            do {
                _ = try await client.chat(model: "m", messages: [.user("hi")], options: GenerateOptions()).text()
                Issue.record("an error object in a whole reply must be thrown")
            } catch {
                #expect("\(error)".contains("no such model"))
            }
        }
        #expect(server.requests.allSatisfy { $0.json?["stream"]?.boolValue == true }, "every request asked for a stream")
    }
}
