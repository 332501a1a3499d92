import Foundation
import HTTPStreaming
import Inference
import Testing

@testable import MLXServer
import Locking

/// The request bodies and stream handling shaped around mlx_lm.server's quirks (logic only, no server).
@Suite struct MLXRequestTests {
    /// A request body as the server receives it.
    static func json(_ body: some Encodable) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: StreamingHTTPClient.encode(body))) as? [String: Any] ?? [:]
    }

    @Test func stopsAreNotSentAndUsageIsAskedFor() {
        let body = Self.json(MLXRequest.completion(prompt: "p", options: GenerateOptions(maxTokens: 7, temperature: 0.5, stop: ["x"])))
        #expect(body["stop"] == nil)
        #expect((body["stream_options"] as? [String: Bool])?["include_usage"] == true)
        #expect(body["max_tokens"] as? Int == 7)
        #expect(body["prompt"] as? String == "p")
    }

    @Test func seedIsDroppedOnlyWhenSamplingIsGreedy() {
        let greedy = Self.json(MLXRequest.chat(messages: [.user("hi")], options: GenerateOptions(temperature: 0, seed: 42)))
        #expect(greedy["seed"] == nil)
        let sampled = Self.json(MLXRequest.chat(messages: [.user("hi")], options: GenerateOptions(temperature: 0.7, seed: 42)))
        #expect(sampled["seed"] as? UInt64 == 42)
    }

    @Test func repeatPenaltyUsesTheServersName() {
        let body = Self.json(MLXRequest.completion(prompt: "p", options: GenerateOptions(repeatPenalty: 1.1)))
        #expect(body["repetition_penalty"] as? Double == 1.1)
        #expect(body["repeat_penalty"] == nil)
    }

    @Test func anAdapterIsNamedWithTheModelsOwnPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlx-adapter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Without both files it is no adapter, and the error names the missing one.
        #expect(throws: InferenceError.self) { try MLXAdapter(modelPath: "/models/base", directory: directory.path) }
        for file in ["adapters.safetensors", "adapter_config.json"] {
            try Data("{}".utf8).write(to: directory.appendingPathComponent(file))
        }
        let adapter = try MLXAdapter(modelPath: "/models/base", directory: directory.path)
        let body = Self.json(MLXRequest.chat(messages: [.user("hi")], options: GenerateOptions(), adapter: adapter))
        // The server ignores a request's adapter for its `default_model`, so the model is named by its path.
        #expect(body["model"] as? String == "/models/base")
        #expect(body["adapters"] as? String == directory.path)
        let plain = Self.json(MLXRequest.completion(prompt: "p", options: GenerateOptions()))
        #expect(plain["model"] == nil && plain["adapters"] == nil)
    }

    static func chunk(_ text: String, finish: String? = nil) -> ServerSentEvent {
        let choice: [String: Any] = ["index": 0, "text": text, "finish_reason": finish ?? NSNull()]
        let data = try! JSONSerialization.data(withJSONObject: ["choices": [choice]])
        return ServerSentEvent(data: String(decoding: data, as: UTF8.self))
    }

    /// Feeds `events` to a decoder inside a real generation; returns the tokens and the summary.
    static func decode(_ events: [ServerSentEvent], stops: [String]) async throws -> (String, GenerationSummary, Int) {
        let consumed = Locked(0)
        let generation = Generation.start { sink in
            var decoder = MLXStreamDecoder(stops: stops)
            for event in events {
                consumed.withLock { $0 += 1 }
                if try decoder.handle(event, sink: sink) { break }
            }
            return try decoder.outcome(delivered: sink.deliveredTokens, totalSeconds: 0.1, source: "test")
        }
        let text = try await generation.text()
        return (text, await generation.finished(), consumed.current)
    }

    @Test func stopSplitAcrossChunksEndsTheStreamBeforeIt() async throws {
        let events = [Self.chunk("Hello wo"), Self.chunk("rld, and"), Self.chunk(" more"), ServerSentEvent(data: "[DONE]")]
        let (text, summary, consumed) = try await Self.decode(events, stops: ["world"])
        #expect(text == "Hello ")
        #expect(summary.finishReason == .stop)
        #expect(consumed == 2, "reading stops at the stop sequence")
    }

    @Test func heldBackTextIsDeliveredAtTheEnd() async throws {
        let events = [Self.chunk("ends with wo"), Self.chunk("", finish: "length"), ServerSentEvent(data: "[DONE]")]
        let (text, summary, _) = try await Self.decode(events, stops: ["world"])
        #expect(text == "ends with wo")
        #expect(summary.finishReason == .length)
    }

    @Test func launcherLimitsLineIsParsed() {
        let limits = MLXProcess.parseLimits(
            "swift-ml-mlx-launcher: limits cache=100 memory=200 wired=unavailable mlx=0.32.4 device=Device(cpu,"
        )
        #expect(limits["cache"] == "100")
        #expect(limits["memory"] == "200")
        #expect(limits["wired"] == "unavailable")
    }

    @Test func argumentsAndEnvironment() {
        var settings = MLXServerSettings(python: "/p", cacheLimit: 1, huggingFaceHome: "/hf", environment: [:])
        settings = settings.applying(LoadOptions(parallelSlots: 3, memoryLimitBytes: 2))
        let arguments = settings.arguments(launcher: "/l.py", model: "/m; rm -rf /", port: 9)
        #expect(arguments.prefix(6) == ["/l.py", "--cache-limit", "1", "--memory-limit", "2", "--"])
        #expect(arguments.contains("/m; rm -rf /"))
        #expect(arguments.suffix(4) == ["--decode-concurrency", "3", "--prompt-concurrency", "3"])
        #expect(settings.environment["HF_HOME"] == "/hf")
    }

    @Test func missingPythonMakesTheBackendUnavailableWithAReason() async throws {
        let backend = MLXBackend(settings: MLXServerSettings(python: "/nonexistent/python"))
        #expect(!backend.isAvailable)
        #expect(backend.unavailableReason?.contains("scripts/setup") == true)
        await #expect(throws: InferenceError.self) {
            _ = try await backend.loadModel(path: "/tmp", options: LoadOptions())
        }
    }

    @Test func modelDirectoryIsChecked() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlx-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{}".utf8).write(to: directory.appendingPathComponent("config.json"))
        let error = #expect(throws: InferenceError.self) { try MLXProcess.checkModelDirectory(directory.path) }
        #expect(error?.message.contains("*.safetensors") == true && error?.message.contains("tokenizer.json") == true)
        #expect(throws: InferenceError.self) { try MLXProcess.checkModelDirectory(directory.path + "/config.json") }
        #expect(throws: InferenceError.self) { try MLXProcess.checkModelDirectory(directory.path + "/none") }
    }
}
