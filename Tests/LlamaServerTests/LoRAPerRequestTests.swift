import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Inference
import InferenceTesting
import LlamaServer
import ModelFormats
import Testing

/// One server per checkpoint: requests through ``LlamaServerModel/withoutAdapters()`` run on the server that loaded
/// the adapter with the adapter switched off for them — their output is the base model's for the same prompt and
/// seed — while the server's own requests keep the adapter, also when both are in flight together.
extension RealServerTests {
@Suite struct LoRAPerRequestTests {
    static let greedy = GenerateOptions(maxTokens: 24, temperature: 0, topK: 1, seed: 1)

    /// A GGUF LoRA for the test model that changes its greedy output.
    static func makeAdapter(in directory: URL, modelPath: String) throws -> String {
        let (weights, config) = try LoRAProofTests.writeMLXAdapter(
            directory: directory, base: try GGUFFile.read(path: modelPath), zeroB: false)
        let adapter = directory.appendingPathComponent("adapter.gguf").path
        _ = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
            .convertToGGUF(outputPath: adapter, options: GGUFLoRAOptions(baseModelPath: modelPath))
        return adapter
    }

    /// A prompt is never answered from a prefix computed at other adapter scales, in the sequences that did on
    /// our build with the cache on for every request: the same prompt without the adapter and then with it on one
    /// slot (the server keeps a prefix computed with every adapter off), and without, pushed out by another prompt,
    /// then with (the RAM prompt cache brings the other scale's prefix back). Requests with the adapters off still
    /// reuse their slot's prefix.
    @Test func cachedPromptsNeverCrossAdapterScales() async throws {
        let (_, modelPath) = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let adapter = try Self.makeAdapter(in: directory, modelPath: modelPath)
        let prompt = LoRAProofTests.prompt
        let baseText = try await SharedModel.shared.get().generate(prompt, options: Self.greedy).text()

        let model = try await LlamaServerModel(
            modelPath: modelPath, settings: LlamaServerSettings(parallelSlots: 1, loraAdapters: [adapter]))
        defer { Task { await model.close() } }
        let withoutAdapter = model.withoutAdapters()
        let other = "Once upon a time, in a small village by the sea,"
        // First on a fresh server: nothing cached yet.
        let adapterText = try await model.generate(prompt, options: Self.greedy).text()
        #expect(adapterText != baseText, "the adapter must change the greedy output")
        #expect(try await withoutAdapter.generate(prompt, options: Self.greedy).text() == baseText)
        #expect(try await model.generate(prompt, options: Self.greedy).text() == adapterText, "base, then adapter")
        #expect(try await withoutAdapter.generate(prompt, options: Self.greedy).text() == baseText, "adapter, then base")
        _ = try await model.generate(other, options: Self.greedy).text()
        #expect(try await model.generate(prompt, options: Self.greedy).text() == adapterText, "base, other, adapter")
        _ = try await withoutAdapter.generate(other, options: Self.greedy).text()
        #expect(try await withoutAdapter.generate(prompt, options: Self.greedy).text() == baseText)

        // The same prompt again with the adapters off is served from the slot's cache (what `cache_n` counts).
        let process = try #require(model.process)
        var request = URLRequest(url: URL(string: process.baseURL + "/completion")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"prompt": "\#(prompt)", "n_predict": 2, "lora": [{"id": 0, "scale": 0}]}"#.utf8)
        var cached: [Int] = []
        for _ in 0..<2 {
            let (data, _) = try await URLSession.shared.data(for: request)
            let reply = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            cached.append((reply?["timings"] as? [String: Any])?["cache_n"] as? Int ?? -1)
        }
        #expect(cached[1] > 0, "cache_n of the repeated prompt: \(cached)")
        await model.close()
    }

    @Test func requestsWithoutTheAdapterAnswerAsTheBaseModel() async throws {
        let (_, modelPath) = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let adapter = try Self.makeAdapter(in: directory, modelPath: modelPath)

        let baseModel = try await SharedModel.shared.get()
        let prompt = LoRAProofTests.prompt
        let messages: [Message] = [.user("Name a colour.")]
        let baseText = try await baseModel.generate(prompt, options: Self.greedy).text()
        let baseChat = try await baseModel.chat(messages, options: Self.greedy).text()

        let model = try await LlamaServerModel(
            modelPath: modelPath, settings: LlamaServerSettings(parallelSlots: 2, loraAdapters: [adapter]))
        defer { Task { await model.close() } }
        let withoutAdapter = model.withoutAdapters()
        let adapterText = try await model.generate(prompt, options: Self.greedy).text()
        #expect(adapterText != baseText, "the adapter must change the greedy output")
        #expect(try await withoutAdapter.generate(prompt, options: Self.greedy).text() == baseText)
        #expect(try await withoutAdapter.chat(messages, options: Self.greedy).text() == baseChat)

        // Both kinds in flight together on the two slots: each keeps its own adapter choice.
        async let withAdapter = model.generate(prompt, options: Self.greedy).text()
        async let without = withoutAdapter.generate(prompt, options: Self.greedy).text()
        let (together, togetherWithout) = try await (withAdapter, without)
        #expect(together == adapterText)
        #expect(togetherWithout == baseText)

        // The per-request choice leaves the server's own scale alone.
        let process = try #require(model.process)
        let adapters = try await LoRAProofTests.loraAdapters(baseURL: process.baseURL)
        #expect(adapters.first?["scale"] as? Double == 1, "\(adapters)")
        #expect(try await model.generate(prompt, options: Self.greedy).text() == adapterText)
        await withoutAdapter.close()
        #expect(model.process?.isRunning == true, "closing the view leaves the server running")
        await model.close()
    }
}
}
