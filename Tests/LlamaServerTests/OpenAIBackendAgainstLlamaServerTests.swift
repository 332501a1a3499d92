import HTTPStreaming
import Inference
import InferenceTesting
import LlamaServer
import OpenAIBackend
import Testing

/// The HTTP backend's conformance against a real llama-server's OpenAI endpoints (not a fake).
extension RealServerTests {
@Suite struct OpenAIBackendAgainstLlamaServerTests {
    @Test(arguments: TextModelConformance.checks)
    func conformance(_ check: TextModelConformance.Check) async throws {
        let server = try #require(try await SharedModel.shared.get().process)
        let configuration = TextModelConformance.Configuration(
            makeModel: { OpenAIModel(client: StreamingHTTPClient(baseURL: server.baseURL), modelName: "smol", ownsClient: true) },
            makeFailingModel: nil,
            prompts: ("Count from one to twenty.", "Name the colours of the rainbow."),
            deterministic: true,
            // llama.cpp: batched and prompt-cached runs may differ from lone ones (see the configuration).
            deterministicWhenConcurrent: false
        )
        try await check.run(configuration)
    }

    @Test func listsTheServersModel() async throws {
        let server = try #require(try await SharedModel.shared.get().process)
        let models = try await withStreamingHTTPClient(baseURLs: [server.baseURL]) { try await $0.models() }
        #expect(models.contains { $0.id.hasSuffix("SmolLM2-135M-Instruct.Q4_1.gguf") })
    }

    @Test func rawCompletionsEndpoint() async throws {
        let server = try #require(try await SharedModel.shared.get().process)
        let model = OpenAIModel(client: StreamingHTTPClient(baseURL: server.baseURL), modelName: nil, rawCompletions: true, ownsClient: true)
        defer { Task { await model.close() } }
        let generation = model.generate("The capital of France is", options: GenerateOptions(maxTokens: 4, temperature: 0))
        let text = try await generation.text()
        #expect(text.contains("Paris"))
        #expect(await generation.finished().finishReason == .length)
    }
}
}
