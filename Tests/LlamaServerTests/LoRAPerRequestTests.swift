import Foundation
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

    @Test func requestsWithoutTheAdapterAnswerAsTheBaseModel() async throws {
        let (_, modelPath) = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (weights, config) = try LoRAProofTests.writeMLXAdapter(
            directory: directory, base: try GGUFFile.read(path: modelPath), zeroB: false)
        let adapter = directory.appendingPathComponent("adapter.gguf").path
        _ = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
            .convertToGGUF(outputPath: adapter, options: GGUFLoRAOptions(baseModelPath: modelPath))

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
