import Foundation
import HTTPStreaming
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inference
import InferenceTesting
@testable import Serving
import NIOCore
import OpenAIBackend
import OpenAIWire
import Testing
import Locking

/// `ml serve`'s server in front of the fake ScriptedModel (in memory and live).
@Suite struct OpenAIServerTests {
    static func app(_ model: ScriptedModel = ScriptedModel(tokens: ["Hel", "lo", " there", "!"]), _ configuration: ServerConfiguration = ServerConfiguration())
        -> (some ApplicationProtocol, ScriptedModel)
    {
        let server = OpenAIServer(model: model, modelID: "smol.gguf", configuration: configuration)
        return (Application(router: server.buildRouter()), model)
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func body(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static var chat: [String: Any] { ["model": "smol.gguf", "messages": [["role": "user", "content": "hi"]], "max_tokens": 50] }

    @Test func chatCompletionWithUsage() async throws {
        let (app, model) = Self.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: Self.body(Self.chat)) { response in
                #expect(response.status == .ok)
                let object = Self.json(response.body)
                #expect(object["object"] as? String == "chat.completion")
                #expect(object["model"] as? String == "smol.gguf")
                let choice = (object["choices"] as? [[String: Any]])?.first
                #expect((choice?["message"] as? [String: Any])?["content"] as? String == "Hello there!")
                #expect(choice?["finish_reason"] as? String == "stop")
                let usage = object["usage"] as? [String: Any]
                #expect(usage?["completion_tokens"] as? Int == 4)
                #expect(usage?["total_tokens"] as? Int == (usage?["prompt_tokens"] as? Int ?? 0) + 4)
            }
        }
        #expect(model.requests.first?.options.maxTokens == 50)
    }

    @Test func streamingChatIsByteExact() async throws {
        let (app, _) = Self.app(ScriptedModel(tokens: ["a", "b"]))
        var request = Self.chat
        request["stream"] = true
        request["stream_options"] = ["include_usage": true]
        let requestBody = Self.body(request)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: requestBody) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.allSatisfy { $0.hasPrefix("data: ") })
                #expect(events.last == "data: [DONE]")
                let chunks = events.dropLast().map { Self.json(ByteBuffer(string: String($0.dropFirst(6)))) }
                #expect(chunks.count == 5)  // role, a, b, finish, usage
                let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]) }
                #expect(deltas.first?["role"] as? String == "assistant")
                #expect(deltas.compactMap { $0["content"] as? String }.joined() == "ab")
                #expect((chunks[3]["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "stop")
                #expect((chunks[4]["usage"] as? [String: Any])?["completion_tokens"] as? Int == 2)
                #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1, "every chunk carries the same id")
            }
        }
    }

    @Test func textCompletionsBothModes() async throws {
        let (app, model) = Self.app(ScriptedModel(tokens: ["x", "y"]))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/completions", method: .post, body: Self.body(["prompt": "p", "max_tokens": 1])) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let choice = (Self.json(response.body)["choices"] as? [[String: Any]])?.first
                #expect(choice?["text"] as? String == "x")
                #expect(choice?["finish_reason"] as? String == "length")
            }
            try await client.execute(uri: "/v1/completions", method: .post, body: Self.body(["prompt": "p", "stream": true])) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""text":"x""#) && text.contains(#""text":"y""#))
                #expect(text.hasSuffix("data: [DONE]\n\n"))
            }
        }
        guard case .prompt(let prompt) = model.requests.first?.input else {
            Issue.record("completions must send a raw prompt")
            return
        }
        #expect(prompt == "p")
    }

    @Test func modelsAndModelInfo() async throws {
        let (app, _) = Self.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/models", method: .get) { response in
                let data = Self.json(response.body)["data"] as? [[String: Any]]
                #expect(data?.map { $0["id"] as? String } == ["smol.gguf"])
            }
            try await client.execute(uri: "/v1/models/smol.gguf", method: .get) { response in
                let meta = Self.json(response.body)["meta"] as? [String: Any]
                #expect(meta?["architecture"] as? String == "scripted")
                #expect(meta?["context_length"] as? Int == 4096)
            }
            try await client.execute(uri: "/v1/models/other", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((Self.json(response.body)["error"] as? [String: Any])?["code"] as? String == "model_not_found")
            }
        }
    }


    @Test func badRequestsAreFourHundreds() async throws {
        let (app, _) = Self.app(ScriptedModel(), ServerConfiguration(apiKey: "k", maxBodyBytes: 2048))
        let auth: HTTPFields = [.authorization: "Bearer k"]
        let cases: [(ByteBuffer, HTTPResponse.Status, String?)] = [
            (ByteBuffer(string: "{not json"), .badRequest, nil),
            (Self.body(["messages": []]), .badRequest, "invalid_messages"),
            (Self.body(["messages": [["role": "user", "content": "x"]], "temperature": 9]), .badRequest, "invalid_temperature"),
            (Self.body(["messages": [["role": "user", "content": "x"]], "max_tokens": -1]), .badRequest, "invalid_max_tokens"),
            (Self.body(["messages": [["role": "user", "content": "x"]], "model": "gpt-9"]), .notFound, "model_not_found"),
            (ByteBuffer(string: String(repeating: " ", count: 4096)), .contentTooLarge, "body_too_large"),
        ]
        try await app.test(.router) { client in
            for (body, status, code) in cases {
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: auth, body: body) { response in
                    #expect(response.status == status)
                    let error = Self.json(response.body)["error"] as? [String: Any]
                    #expect(error != nil, "no OpenAI error object for \(status)")
                    if let code { #expect(error?["code"] as? String == code) }
                }
            }
            try await client.execute(uri: "/v1/nothing", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
                #expect(Self.json(response.body)["error"] != nil)
            }
            // Health and the chat page need no key.
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(Self.json(response.body)["status"] as? String == "ok")
            }
            try await client.execute(uri: "/", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/v1/chat/completions"))
                #expect(!html.contains("http://") && !html.contains("https://"), "the page loads no external resources")
            }
        }
    }

    /// Runs the server live on a free port for `body`.
    static func live(_ server: OpenAIServer, _ body: (String) async throws -> Void) async throws {
        let port = Locked<Int?>(nil)
        let running = Task {
            try await server.makeApplication(onServerRunning: { bound in port.withLock { $0 = bound } }).runService(gracefulShutdownSignals: [])
        }
        defer { running.cancel() }
        while port.current == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await body("http://127.0.0.1:\(port.current!)")
    }

    @Test func overCapacityIsTooManyRequests() async throws {
        let model = ScriptedModel(tokens: (0..<50).map { "\($0)" }, delay: .milliseconds(20))
        let server = OpenAIServer(model: model, modelID: "smol.gguf", configuration: ServerConfiguration(port: 0, maxConcurrent: 1))
        try await Self.live(server) { url in
            try await withStreamingHTTPClient(baseURLs: [url], configuration: StreamingHTTPConfiguration(retry: .none)) { client in
                async let first = client.chat(model: nil, messages: [.user("one")], options: GenerateOptions()).text()
                while model.activeCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
                await #expect {
                    _ = try await client.chat(model: nil, messages: [.user("two")], options: GenerateOptions()).text()
                } throws: { error in
                    let error = error as? InferenceError
                    return error?.status == 429 && error?.message == "The server is at capacity; retry shortly."
                }
                #expect(try await first.count > 0)
            }
        }
    }

    @Test func backendFailureIsBadGatewayAndMidStreamAnErrorEvent() async throws {
        // Failing before the first token: an error status.
        let (failing, _) = Self.app(ScriptedModel(tokens: ["a", "b", "c"], failAfter: 0))
        try await failing.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: Self.body(Self.chat)) { response in
                #expect(response.status == .badGateway)
                #expect((Self.json(response.body)["error"] as? [String: Any])?["type"] as? String == "server_error")
            }
        }
        // Failing after a streamed token: an error event, then [DONE].
        let (app, _) = Self.app(ScriptedModel(tokens: ["a", "b", "c"], failAfter: 1))
        var streamed = Self.chat
        streamed["stream"] = true
        let streamedBody = Self.body(streamed)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: streamedBody) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""content":"a""#))
                #expect(text.contains(#"{"error":"#))
                #expect(text.hasSuffix("data: [DONE]\n\n"))
            }
        }
    }

    @Test func failureAfterTheFirstTokenOfAWholeReplyIsAnErrorStatus() async throws {
        let server = OpenAIServer(model: ScriptedModel(tokens: ["a", "b", "c"], failAfter: 1), modelID: "smol.gguf", configuration: ServerConfiguration(port: 0))
        try await Self.live(server) { url in
            try await withStreamingHTTPClient(baseURLs: [url], configuration: StreamingHTTPConfiguration(retry: .none)) { client in
                // A 502 with a whole OpenAI error, not a 200 whose body breaks off.
                let error = await #expect(throws: InferenceError.self) {
                    _ = try await client.postJSON(
                        "/v1/chat/completions", body: ChatCompletionRequest(model: nil, messages: [ChatMessage(role: "user", content: "go")]),
                        as: CompletionResponse.self)
                }
                #expect(error?.status == 502, "\(String(describing: error))")
            }
        }
    }

    @Test func clientDisconnectCancelsTheGeneration() async throws {
        let model = ScriptedModel(tokens: (0..<500).map { "t\($0) " }, delay: .milliseconds(10))
        let server = OpenAIServer(model: model, modelID: "smol.gguf", configuration: ServerConfiguration(port: 0))
        try await Self.live(server) { url in
            try await withStreamingHTTPClient(baseURLs: [url]) { client in
                let generation = client.chat(model: "smol.gguf", messages: [.user("go")], options: GenerateOptions(maxTokens: 500))
                var count = 0
                for try await _ in generation {
                    count += 1
                    if count == 3 { break }
                }
            }
            let deadline = ContinuousClock.now + .seconds(3)
            while model.cancelledCount == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(model.cancelledCount == 1, "the backend kept generating after the client left")
            #expect(model.completedCount == 0)
            #expect(server.inFlight == 0)
        }
    }

    @Test func clientDisconnectCancelsAWholeGenerationToo() async throws {
        let model = ScriptedModel(tokens: (0..<500).map { "t\($0) " }, delay: .milliseconds(10))
        let server = OpenAIServer(model: model, modelID: "smol.gguf", configuration: ServerConfiguration(port: 0))
        try await Self.live(server) { url in
            let task = Task {
                try await withStreamingHTTPClient(baseURLs: [url]) { client in
                    _ = try await client.postJSON(
                        "/v1/chat/completions",
                        body: ChatCompletionRequest(model: nil, messages: [ChatMessage(role: "user", content: "go")], maxTokens: 500),
                        as: CompletionResponse.self)
                }
            }
            while model.activeCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            task.cancel()
            _ = await task.result
            let deadline = ContinuousClock.now + .seconds(3)
            while model.cancelledCount == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(model.cancelledCount == 1, "the backend kept generating after the client left")
        }
    }

    @Test func metricsInPrometheusFormat() async throws {
        let (app, _) = Self.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: Self.body(Self.chat)) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"ml_requests_total{route="/v1/chat/completions",status="200"} 1"#), "\(text)")
                #expect(text.contains("ml_tokens_out_total 4"))
                #expect(text.contains("ml_request_duration_seconds_bucket"))
                #expect(text.contains("ml_requests_in_flight"))
            }
        }
    }

    @Test func bindWarningOnlyForNonLoopbackWithoutKey() {
        #expect(ServerConfiguration().securityWarning == nil)
        #expect(ServerConfiguration(host: "0.0.0.0").securityWarning != nil)
        #expect(ServerConfiguration(host: "0.0.0.0", apiKey: "k").securityWarning == nil)
    }
}
