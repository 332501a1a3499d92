import Evaluation
import Foundation
import Inference
import LlamaServer
import ML
import Testing

/// A judge pass with the real local model: schema-constrained output (llama-server's `json_schema`) makes even the
/// 135M-parameter model return a verdict with every key, typed and in range.
extension RealServerTests {
@Suite struct LocalJudgeTests {
    @Test(arguments: [JudgeSuite.capability, .semantic, .truthfulqa])
    func constrainedJudgeRepliesAreScored(_ suite: JudgeSuite) async throws {
        let model = try await SharedModel.shared.get()
        let backend = InferenceAdapter(model: model, name: "smollm2", supportsResponseFormat: true)
        let judge = Judge(backend: backend, options: GenOpts(temperature: 0.1, maxTokens: 256, seed: 7), maxReasks: 1)
        let input = JudgeInput(prompt: "What is 12 + 30?", response: "12 + 30 = 42. The answer is 42.",
                               reference: "42")
        let verdict = try await judge.judge(suite, input)
        let scores = try #require(verdict.scores, "unscored: \(verdict.reason ?? "")")
        for key in suite.keys {
            let value = try #require(scores[key.name], "missing \(key.name)")
            switch (key.kind, value) {
            case (.integer(let min, let max), .number(let number)):
                #expect(number >= Double(min) && number <= Double(max) && number.rounded() == number)
            case (.number(let min, let max), .number(let number)):
                #expect(number >= min && number <= max)
            case (.string, .string): break
            default: Issue.record("\(key.name) has the wrong type: \(value)")
            }
        }
    }

    @Test func withoutConstraintAGarbageReplyIsUnscoredNeverZero() async throws {
        // The same model without schema support, asked to grade with a tiny token budget: whatever comes back is
        // either a valid verdict or unscored with a reason — never a silent zero.
        let model = try await SharedModel.shared.get()
        let backend = InferenceAdapter(model: model, name: "smollm2", supportsResponseFormat: false)
        let judge = Judge(backend: backend, options: GenOpts(temperature: 0, maxTokens: 3), maxReasks: 0)
        let verdict = try await judge.judge(.capability, JudgeInput(prompt: "2+2?", response: "4"))
        #expect(!verdict.isScored)
        #expect(verdict.reason?.isEmpty == false)
    }
}
}
