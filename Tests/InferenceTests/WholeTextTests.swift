import Inference
import InferenceTesting
import Synchronization
import Testing
import Locking

@Suite struct WholeTextTests {
    @Test func normalGeneration() async throws {
        let model = ScriptedModel(tokens: ["The", " answer", " is", " 42"])
        let result = try await model.complete("q", options: GenerateOptions())
        #expect(result.text == "The answer is 42")
        #expect(result.finishReason == .stop)
        #expect(result.metrics?.generatedTokens == 4)
        #expect(model.requests.count == 1)
    }

    @Test func streamingDeliversEachTokenInOrder() async throws {
        let model = ScriptedModel(tokens: ["a", "b", "c", "d", "e"])
        let seen = Mutex<[String]>([])
        let result = try await model.complete("q", options: GenerateOptions()) { token in
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
            _ = try await model.complete("q", options: GenerateOptions()) { _ in
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
                let started = Locked(false)
        let task = Task {
            try await model.complete("q", options: GenerateOptions(maxTokens: 10_000)) { _ in started.withLock { $0 = true } }
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
        let result = try await ScriptedModel(tokens: []).complete("q", options: GenerateOptions())
        #expect(result.text == "")
        #expect(result.finishReason == .stop)
    }

    @Test func modelErrorAfterPartialOutputGivesTextAndError() async throws {
        let model = ScriptedModel(tokens: ["par", "tial", " never"], failAfter: 2)
        do {
            _ = try await model.complete("q", options: GenerateOptions())
            Issue.record("expected an error")
        } catch let failure as GenerationFailure {
            #expect(failure.partialText == "partial")
            #expect((failure.underlying as? InferenceError)?.code == .generationFailed)
        }
    }

    @Test func chatPassesMessages() async throws {
        let model = ScriptedModel(tokens: ["hi"])
        let messages: [Message] = [.system("be brief"), .user("hello")]
        let result = try await model.reply(messages, options: GenerateOptions())
        #expect(result.text == "hi")
        guard case .messages(let received) = try #require(model.requests.first).input else {
            Issue.record("chat did not send messages")
            return
        }
        #expect(received == messages)
    }

    @Test func optionsReachTheModelUnchanged() async throws {
        let model = ScriptedModel(tokens: ["x"])
        let options = GenerateOptions(
            maxTokens: 33, temperature: 0.7, topK: 5, topP: 0.9, stop: ["STOP"], repeatPenalty: 1.1, seed: 7,
            responseFormat: .jsonObject
        )
        _ = try await model.complete("q", options: options)
        #expect(try #require(model.requests.first).options == options)
    }

    @Test func stopSequenceSplitAcrossTokensEvenWhenTheModelIgnoresIt() async throws {
        // IgnoringStopsModel streams everything; the whole-text call must still cut before "END".
        let model = IgnoringStopsModel(tokens: ["The ", "answer E", "N", "D and more", " tokens"])
        let seen = Mutex<[String]>([])
        let result = try await model.complete("q", options: GenerateOptions(stop: ["END"])) { token in
            seen.withLock { $0.append(token.text) }
        }
        #expect(result.text == "The answer ")
        #expect(seen.withLock({ $0 }).joined() == "The answer ")
        #expect(result.finishReason == .stop)
    }
}

/// A fake model that ignores stop sequences, to prove the whole-text call enforces them.
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
    func close() async {}
}
