import Inference
import InferenceTesting
import Testing

@Suite struct ScriptedModelConformanceTests {
    static let configuration = TextModelConformance.Configuration(
        makeModel: {
            ScriptedModel(delay: .milliseconds(1)) { request in
                // Different prompts give different, deterministic answers.
                (0..<40).map { "\(request.text.count % 7)-\($0) " }
            }
        },
        makeFailingModel: { ScriptedModel(tokens: ["a", "b", "c", "d"], failAfter: 2) }
    )

    @Test(arguments: TextModelConformance.checks)
    func conformance(_ check: TextModelConformance.Check) async throws {
        try await check.run(Self.configuration)
    }

    @Test func aModelThatIgnoresMaxTokensFailsTheSuite() async throws {
        // A model that ignores max tokens and never stops must be caught by the suite: it cannot pass vacuously.
        let broken = TextModelConformance.Configuration(makeModel: { IgnoringModel() }, cancellationDeadline: .milliseconds(200))
        let failures = await TextModelConformance.runAll(broken)
        let names = Set(failures.map(\.check))
        #expect(names.contains("max tokens honoured"))
        #expect(names.contains("consumer that stops iterating stops the model"))
    }
}

/// A deliberately broken fake: ignores max tokens and keeps producing after cancellation.
final class IgnoringModel: TextModel {
    var modelType: String { "broken" }
    var info: ModelInfo { ModelInfo(id: "broken") }
    func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        Generation.start { sink in
            for index in 0..<200 {
                try? sink.yield(Token(id: index, text: "x"))
                // Ignores cancellation: sleeps without checking it.
                try? await Task.sleep(for: .milliseconds(5))
            }
            return GenerationOutcome(finishReason: .stop)
        }
    }
    func chat(_ messages: [Message], options: GenerateOptions) -> Generation { generate("", options: options) }
    func close() async {}
}
