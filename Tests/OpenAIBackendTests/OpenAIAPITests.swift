import Foundation
import HTTPStreaming
import HTTPTestSupport
import Inference
import JSONValues
@testable import OpenAIBackend
import Testing

/// The OpenAI API on the streaming client against scripted in-process servers: request bodies, model list,
/// whole replies.
@Suite struct OpenAIAPITests {
    static let fast = StreamingHTTPConfiguration(
        idleTimeout: .seconds(30),  // no test here waits on it: generous, so a server starved by the whole suite's load is not a failure
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
    )

    @discardableResult
    func withServer<T>(
        _ server: ScriptedHTTPServer,
        configuration: StreamingHTTPConfiguration = fast,
        apiKey: String? = nil,
        _ body: (StreamingHTTPClient) async throws -> T
    ) async throws -> T {
        defer { Task { await server.shutdown() } }
        return try await withStreamingHTTPClient(baseURLs: [server.baseURL], apiKey: apiKey, configuration: configuration, body)
    }

    @Test func sendsOnlyTheParametersThatAreSetAndTheKey() async throws {
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.finish, OpenAIStreamEvents.done])])
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
        let server = try await ScriptedHTTPServer(responses: [.events([OpenAIStreamEvents.finish, OpenAIStreamEvents.done])])
        let schema = #"{"type":"object","properties":{"score":{"type":"integer"}}}"#
        try await withServer(server) { client in
            _ = try await client.chat(model: nil, messages: [.user("x")], options: GenerateOptions(responseFormat: .jsonSchema(name: "s", schema: schema))).text()
        }
        let format = try #require(server.requests.first?.json?["response_format"]?.objectValue)
        #expect(format["type"]?.stringValue == "json_schema")
        let inner = try #require(format["json_schema"]?.objectValue)
        #expect(inner["schema"]?["type"]?.stringValue == "object")
    }

    @Test func listsModels() async throws {
        let server = try await ScriptedHTTPServer(responses: [
            .body(#"{"object":"list","data":[{"id":"smol","object":"model","owned_by":"me"},{"id":"big","object":"model"}]}"#)
        ])
        let models = try await withServer(server) { try await $0.models() }
        #expect(models.map(\.id) == ["smol", "big"])
        #expect(server.requests.first?.uri == "/v1/models")
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
