import Foundation
import Inference
import MLErrors
import Synchronization

/// A fake ``TextModel`` for tests: it replies with predetermined tokens and records what it was asked.
///
/// - `respond` picks the tokens for each request (by default the fixed `tokens`).
/// - `delay` is waited before each token, so tests can cancel mid-stream.
/// - `failAfter` throws `error` after that many tokens.
/// - Max tokens and stop sequences are honoured, as the contract requires.
public final class ScriptedModel: TextModel {
    /// One request the model received.
    public struct Request: Sendable {
        public enum Input: Sendable {
            case prompt(String)
            case messages([Message])
        }
        public var input: Input
        public var options: GenerateOptions

        /// The prompt, or the concatenated message contents.
        public var text: String {
            switch input {
            case .prompt(let prompt): return prompt
            case .messages(let messages): return messages.map(\.content).joined(separator: "\n")
            }
        }
    }

    private struct State {
        var requests: [Request] = []
        var cancelled = 0
        var completed = 0
        var active = 0
        var maxActive = 0
        var closed = false
    }

    public let respond: @Sendable (Request) -> [String]
    public let delay: Duration?
    public let failAfter: Int?
    public let error: InferenceError
    public let capacity: Int
    public let info: ModelInfo
    /// Whether ``requests`` keeps every request (turn off for long load runs, where it would grow without bound).
    public let recordsRequests: Bool
    private let state = Mutex(State())

    public init(
        tokens: [String] = ["Hello", ",", " world", "!"],
        delay: Duration? = nil,
        failAfter: Int? = nil,
        error: InferenceError = InferenceError(.generationFailed, "scripted failure"),
        capacity: Int = 4,
        recordsRequests: Bool = true,
        respond: (@Sendable (Request) -> [String])? = nil
    ) {
        self.recordsRequests = recordsRequests
        self.respond = respond ?? { _ in tokens }
        self.delay = delay
        self.failAfter = failAfter
        self.error = error
        self.capacity = capacity
        self.info = ModelInfo(id: "scripted", architecture: "scripted", vocabSize: 0, contextLength: 4096)
    }

    public var modelType: String { "scripted" }

    /// Every request received, in order.
    public var requests: [Request] { state.withLock { $0.requests } }
    /// Generations stopped by their consumer before the end.
    public var cancelledCount: Int { state.withLock { $0.cancelled } }
    /// Generations that ran to the end (or to their injected error).
    public var completedCount: Int { state.withLock { $0.completed } }
    /// Generations running now, and the most that ever ran at once.
    public var activeCount: Int { state.withLock { $0.active } }
    public var maxActiveCount: Int { state.withLock { $0.maxActive } }
    public var isClosed: Bool { state.withLock { $0.closed } }

    public func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        run(Request(input: .prompt(prompt), options: options))
    }

    public func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        run(Request(input: .messages(messages), options: options))
    }

    public func close() async {
        state.withLock { $0.closed = true }
    }

    private func run(_ request: Request) -> Generation {
        let closed = state.withLock { state -> Bool in
            if recordsRequests { state.requests.append(request) }
            return state.closed
        }
        if closed { return .failed(InferenceError(.closed, "the scripted model is closed")) }
        let tokens = respond(request)
        return Generation.start { [self] sink in
            self.state.withLock {
                $0.active += 1
                $0.maxActive = max($0.maxActive, $0.active)
            }
            defer { self.state.withLock { $0.active -= 1 } }
            let started = ContinuousClock.now
            var matcher = StopSequenceMatcher(request.options.stop)
            var produced = 0
            do {
                for (index, text) in tokens.enumerated() {
                    if let maxTokens = request.options.maxTokens, produced >= maxTokens {
                        self.finished()
                        return self.outcome(.length, produced, request, started)
                    }
                    if let delay = self.delay { try await Task.sleep(for: delay) }
                    if let failAfter = self.failAfter, produced >= failAfter {
                        self.finished()
                        throw self.error
                    }
                    produced += 1
                    if let visible = matcher.feed(Token(id: index, text: text)) { try sink.yield(visible) }
                    if matcher.stopped {
                        self.finished()
                        return self.outcome(.stop, produced, request, started)
                    }
                }
                if let rest = matcher.flushToken() { try sink.yield(rest) }
                self.finished()
                return self.outcome(.stop, produced, request, started)
            } catch let error as InferenceError {
                throw error
            } catch {
                self.state.withLock { $0.cancelled += 1 }
                throw error
            }
        }
    }

    private func finished() { state.withLock { $0.completed += 1 } }

    private func outcome(_ reason: FinishReason, _ produced: Int, _ request: Request, _ started: ContinuousClock.Instant)
        -> GenerationOutcome
    {
        let seconds = (ContinuousClock.now - started).seconds
        return GenerationOutcome(
            finishReason: reason,
            metrics: GenerateMetrics(
                promptTokens: request.text.split(separator: " ").count,
                generatedTokens: produced,
                decodeDuration: seconds,
                totalDuration: seconds
            )
        )
    }
}
