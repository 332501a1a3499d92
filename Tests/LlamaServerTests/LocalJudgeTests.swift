import Evaluation
import Foundation
import Inference
import LlamaServer
import Testing

/// A judge pass with the real local model: schema-constrained output (llama-server's `json_schema`) makes even the
/// 135M-parameter model return a verdict with every key, typed and in range.
extension RealServerTests {
@Suite struct LocalJudgeTests {
    @Test(arguments: [JudgeSuite.capability, .semantic, .truthfulqa])
    func constrainedJudgeRepliesAreScored(_ suite: JudgeSuite) async throws {
        let model = try await SharedModel.shared.get()
        let judge = Judge(model: model, options: GenerateOptions(maxTokens: 256, temperature: 0.1, seed: 7), maxReasks: 1)
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

    @Test func aConstrainedCapabilityJudgeCanAnswerADecimal() async throws {
        // The reference's capability scores are decimals. Under the schema (llama.cpp turns it into a grammar)
        // 7.5 must be reachable: asked to copy a reply holding 7.5, the model can. A whole-number schema would
        // make the "." impossible.
        let model = try await SharedModel.shared.get()
        let reply = #"{"reasoning": 7.5, "correctness": 7.5, "clarity": 7.5, "notes": "ok"}"#
        let options = GenerateOptions(maxTokens: 64, temperature: 0, seed: 7, responseFormat: .jsonSchema(
            name: JudgeSuite.capability.schemaName, schema: JudgeSuite.capability.jsonSchema))
        let text = try await model.reply([.user("Repeat exactly this JSON and nothing else:\n\(reply)")], options: options).text
        let verdict = Judge.parse(text, suite: .capability)
        #expect(verdict.number("reasoning") == 7.5, "reply: \(text)")
    }

    @Test func withoutConstraintAGarbageReplyIsUnscoredNeverZero() async throws {
        // The same model without schema support, asked to grade with a tiny token budget: whatever comes back is
        // either a valid verdict or unscored with a reason — never a silent zero.
        let model = try await SharedModel.shared.get()
        let judge = Judge(model: model, options: GenerateOptions(maxTokens: 3, temperature: 0), maxReasks: 0, constrained: false)
        let verdict = try await judge.judge(.capability, JudgeInput(prompt: "2+2?", response: "4"))
        #expect(!verdict.isScored)
        #expect(verdict.reason?.isEmpty == false)
    }
}
}
