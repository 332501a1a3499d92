import HTTPStreaming
import HTTPTestSupport
import Inference
import InferenceTesting
@testable import OpenAIBackend
import Testing

/// The contract's conformance suite against the HTTP backend talking to a fake OpenAI server.
@Suite(.serialized) struct OpenAIConformanceTests {
    @Test(arguments: TextModelConformance.checks)
    func conformance(_ check: TextModelConformance.Check) async throws {
        let server = try await FakeOpenAIServer.start()
        let failing = try await ScriptedHTTPServer(responses: [
            .events([OpenAIStreamEvents.chunk("one "), OpenAIStreamEvents.chunk("two "), #"data: {"error":{"message":"injected"}}"# + "\n\n"])
        ])
        defer { Task { await server.shutdown(); await failing.shutdown() } }
        let configuration = TextModelConformance.Configuration(
            makeModel: { OpenAIModel(client: StreamingHTTPClient(baseURL: server.baseURL), modelName: "fake", ownsClient: true) },
            makeFailingModel: { OpenAIModel(client: StreamingHTTPClient(baseURL: failing.baseURL), modelName: "fake", ownsClient: true) }
        )
        try await check.run(configuration)
    }
}
