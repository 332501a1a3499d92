import Agent
import Evaluation
import Inference
import InferenceTesting
import LlamaServer
import Testing
@testable import Agent

/// The checkpoint server is started with a slot per probe in flight and a context sized for the agent's longest
/// request, not llama-server's default of the model's whole training context per slot.
@Suite struct CheckpointServerSettingsTests {
    func evaluator(concurrency: Int, answerTokens: Int?, judgeTokens: Int?, server: LlamaServerSettings = LlamaServerSettings())
        -> CheckpointEvaluator
    {
        let judge = Judge(model: ScriptedModel(tokens: ["{}"]), options: GenerateOptions(maxTokens: judgeTokens))
        return CheckpointEvaluator(baseModelPath: "/models/base.gguf", serverSettings: server, workDirectory: "/tmp/w",
                                   judge: AgentJudge(judge), answerOptions: GenerateOptions(maxTokens: answerTokens),
                                   concurrency: concurrency)
    }

    @Test func eachSlotHoldsAJudgePromptQuotingAWholeAnswerAndTheReply() {
        let settings = evaluator(concurrency: 8, answerTokens: 512, judgeTokens: 384).checkpointServerSettings(adapter: "/a.gguf")
        #expect(settings.parallelSlots == 8)
        #expect(settings.loraAdapters == ["/a.gguf"])
        #expect(settings.contextLength == 8 * 4096)

        let long = evaluator(concurrency: 2, answerTokens: 4096, judgeTokens: 500).checkpointServerSettings(adapter: "/a.gguf")
        #expect(long.contextLength == 2 * 7168, "4,096 + 500 + 2,048 tokens, rounded up to 1,024")

        let unbounded = evaluator(concurrency: 1, answerTokens: nil, judgeTokens: nil).checkpointServerSettings(adapter: "/a.gguf")
        #expect(unbounded.contextLength == unbounded.parallelSlots * 5120, "2,048 answer tokens and 1,024 of reply assumed when unbounded")
    }

    @Test func theUsersContextAndSlotsAreKept() {
        let server = LlamaServerSettings(contextLength: 10_000, parallelSlots: 12)
        let settings = evaluator(concurrency: 8, answerTokens: 512, judgeTokens: 384, server: server)
            .checkpointServerSettings(adapter: "/a.gguf")
        #expect(settings.contextLength == 10_000)
        #expect(settings.parallelSlots == 12)
    }
}
