import Inference
import InferenceTesting
import ML
import Synchronization
import Testing

@Suite struct InferenceAdapterTests {
    @Test func normalGeneration() async throws {
        let model = ScriptedModel(tokens: ["The", " answer", " is", " 42"])
        let result = try await InferenceAdapter(model: model).generate("q", opts: GenOpts())
        #expect(result.text == "The answer is 42")
        #expect(result.finishReason == .stop)
        #expect(result.metrics?.generatedTokens == 4)
        #expect(model.requests.count == 1)
    }

    @Test func streamingDeliversEachTokenInOrder() async throws {
        let model = ScriptedModel(tokens: ["a", "b", "c", "d", "e"])
        let seen = Mutex<[String]>([])
        let result = try await InferenceAdapter(model: model).generateStream("q", opts: GenOpts()) { token in
            seen.withLock { $0.append(token.text) }
        }
        #expect(seen.withLock({ $0 }) == ["a", "b", "c", "d", "e"])
        #expect(result.text == "abcde")
    }

    @Test func callbackErrorStopsIterationAndTheModelSeesTheStop() async throws {
        struct Enough: Error {}
        let model = ScriptedModel(tokens: (0..<100).map { "\($0) " }, delay: .milliseconds(2))
        let seen = Mutex(0)
        do {
            _ = try await InferenceAdapter(model: model).generateStream("q", opts: GenOpts()) { _ in
                let count = seen.withLock { $0 += 1; return $0 }
                if count == 3 { throw Enough() }
            }
            Issue.record("expected an error")
        } catch let failure as GenerationFailure {
            #expect(failure.underlying is Enough)
            #expect(failure.partialText == "0 1 2 ")
        }
        #expect(seen.withLock({ $0 }) == 3)
        #expect(model.cancelledCount == 1)
        #expect(model.activeCount == 0)
    }

    @Test func taskCancellationPropagatesAndTheModelStops() async throws {
        let model = ScriptedModel(tokens: (0..<1000).map { "\($0)" }, delay: .milliseconds(5))
        let adapter = InferenceAdapter(model: model)
        let started = Locked(false)
        let task = Task {
            try await adapter.generateStream("q", opts: GenOpts(maxTokens: 10_000)) { _ in started.withLock { $0 = true } }
        }
        while !started.current { try await Task.sleep(for: .milliseconds(2)) }
        task.cancel()
        let outcome = await task.result
        #expect(throws: GenerationFailure.self) { try outcome.get() }
        #expect(model.cancelledCount == 1)
        #expect(model.activeCount == 0)
        #expect(model.completedCount == 0)
    }

    @Test func emptyOutputGivesEmptyString() async throws {
        let result = try await InferenceAdapter(model: ScriptedModel(tokens: [])).generate("q", opts: GenOpts())
        #expect(result.text == "")
        #expect(result.finishReason == .stop)
    }

    @Test func modelErrorAfterPartialOutputGivesTextAndError() async throws {
        let model = ScriptedModel(tokens: ["par", "tial", " never"], failAfter: 2)
        do {
            _ = try await InferenceAdapter(model: model).generate("q", opts: GenOpts())
            Issue.record("expected an error")
        } catch let failure as GenerationFailure {
            #expect(failure.partialText == "partial")
            #expect((failure.underlying as? InferenceError)?.code == .generationFailed)
        }
    }

    @Test func chatPassesMessages() async throws {
        let model = ScriptedModel(tokens: ["hi"])
        let messages: [Message] = [.system("be brief"), .user("hello")]
        let result = try await InferenceAdapter(model: model).chat(messages, opts: GenOpts())
        #expect(result.text == "hi")
        guard case .messages(let received) = try #require(model.requests.first).input else {
            Issue.record("chat did not send messages")
            return
        }
        #expect(received == messages)
    }

    @Test func optionsConvertFieldByField() async throws {
        let model = ScriptedModel(tokens: ["x"])
        let opts = GenOpts(
            temperature: 0.7, maxTokens: 33, model: "ignored", topK: 5, topP: 0.9, repeatPenalty: 1.1,
            stop: ["STOP"], seed: 7, responseFormat: .jsonObject
        )
        _ = try await InferenceAdapter(model: model).generate("q", opts: opts)
        let options = try #require(model.requests.first).options
        #expect(options == GenerateOptions(
            maxTokens: 33, temperature: 0.7, topK: 5, topP: 0.9, stop: ["STOP"], repeatPenalty: 1.1, seed: 7,
            responseFormat: .jsonObject
        ))
        #expect(GenOpts().temperature == 0.1)
    }

    @Test func stopSequenceSplitAcrossTokensEvenWhenTheModelIgnoresIt() async throws {
        // IgnoringStopsModel streams everything; the adapter must still cut before "END".
        let model = IgnoringStopsModel(tokens: ["The ", "answer E", "N", "D and more", " tokens"])
        let seen = Mutex<[String]>([])
        let result = try await InferenceAdapter(model: model).generateStream("q", opts: GenOpts(stop: ["END"])) { token in
            seen.withLock { $0.append(token.text) }
        }
        #expect(result.text == "The answer ")
        #expect(seen.withLock({ $0 }).joined() == "The answer ")
        #expect(result.finishReason == .stop)
    }
}

/// A fake model that ignores stop sequences, to prove the adapter enforces them.
final class IgnoringStopsModel: TextModel {
    let tokens: [String]
    init(tokens: [String]) { self.tokens = tokens }
    var modelType: String { "ignoring-stops" }
    var info: ModelInfo { ModelInfo(id: "ignoring-stops") }
    func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        let tokens = tokens
        return Generation.start { sink in
            for token in tokens { try sink.yield(Token(text: token)) }
            return GenerationOutcome(finishReason: .stop)
        }
    }
    func chat(_ messages: [Message], options: GenerateOptions) -> Generation { generate("", options: options) }
    func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult] { [] }
    func close() async {}
}
