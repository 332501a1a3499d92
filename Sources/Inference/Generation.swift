import Foundation
import Synchronization

/// A running generation: an asynchronous sequence of tokens, plus its outcome once it has ended.
///
/// - An error after some tokens is thrown from the sequence.
/// - When the consumer stops iterating (breaks out of the loop, drops the iterator) or its task is
///   cancelled, the producer is cancelled; ``finished()`` waits until the producer has really stopped.
/// - Each generation carries its own ``GenerationSummary``, so one model serving several generations at
///   once never mixes their metrics.
public struct Generation: AsyncSequence, Sendable {
    public typealias Element = Token

    private let stream: AsyncThrowingStream<Token, any Error>
    private let control: GenerationControl

    /// Starts `producer` in a new task. It delivers tokens to the sink and returns the outcome;
    /// if it throws, the error is thrown from the sequence after the tokens already delivered.
    public static func start(
        _ producer: @escaping @Sendable (GenerationSink) async throws -> GenerationOutcome
    ) -> Generation {
        let (stream, continuation) = AsyncThrowingStream<Token, any Error>.makeStream()
        let control = GenerationControl()
        let sink = GenerationSink(continuation: continuation, control: control)
        let task = Task {
            do {
                let outcome = try await producer(sink)
                control.finish(
                    GenerationSummary(
                        finishReason: outcome.finishReason,
                        metrics: outcome.metrics ?? control.fallbackMetrics(),
                        error: nil
                    )
                )
                continuation.finish()
            } catch {
                if Task.isCancelled || control.consumerGone || error is CancellationError {
                    control.finish(
                        GenerationSummary(finishReason: .cancelled, metrics: control.fallbackMetrics(), error: nil)
                    )
                    continuation.finish()
                } else {
                    control.finish(
                        GenerationSummary(finishReason: .error, metrics: control.fallbackMetrics(), error: error)
                    )
                    continuation.finish(throwing: error)
                }
            }
        }
        control.setTask(task)
        continuation.onTermination = { termination in
            if case .cancelled = termination { control.cancel() }
        }
        return Generation(stream: stream, control: control)
    }

    /// A generation that fails at once with `error`.
    public static func failed(_ error: any Error) -> Generation {
        start { _ in throw error }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), guardian: IteratorGuardian(control: control))
    }

    /// Stops the producer. The sequence ends without error.
    public func cancel() { control.cancel() }

    /// Waits until the producer has stopped, then returns the outcome.
    @discardableResult
    public func finished() async -> GenerationSummary { await control.wait() }

    /// The outcome, once the producer has stopped; `nil` while it runs.
    public var summary: GenerationSummary? { control.summary }

    /// Consumes the whole sequence and returns the concatenated text.
    public func text() async throws -> String {
        var text = ""
        for try await token in self { text += token.text }
        return text
    }

    /// Iterates the tokens; dropping the iterator before the end cancels the producer.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Token, any Error>.AsyncIterator
        let guardian: IteratorGuardian

        public mutating func next() async throws -> Token? {
            try await base.next()
        }
    }

    /// Cancels the producer when the last copy of an iterator goes away (the consumer stopped iterating).
    public final class IteratorGuardian: Sendable {
        let control: GenerationControl
        init(control: GenerationControl) { self.control = control }
        deinit { control.cancel() }
    }
}

/// How a producer's generation ended.
public struct GenerationOutcome: Sendable {
    public var finishReason: FinishReason
    /// `nil` lets the generation fill in what it measured itself (token count, wall time).
    public var metrics: GenerateMetrics?

    public init(finishReason: FinishReason, metrics: GenerateMetrics? = nil) {
        self.finishReason = finishReason
        self.metrics = metrics
    }
}

/// The outcome of a finished generation.
public struct GenerationSummary: Sendable {
    public var finishReason: FinishReason
    public var metrics: GenerateMetrics
    /// The error the generation failed with, if it failed.
    public var error: (any Error)?

    public init(finishReason: FinishReason, metrics: GenerateMetrics, error: (any Error)? = nil) {
        self.finishReason = finishReason
        self.metrics = metrics
        self.error = error
    }
}

/// Where a producer delivers its tokens.
public struct GenerationSink: Sendable {
    let continuation: AsyncThrowingStream<Token, any Error>.Continuation
    let control: GenerationControl

    /// Delivers a token. Throws `CancellationError` when the consumer has gone, so the producer stops.
    public func yield(_ token: Token) throws {
        try Task.checkCancellation()
        switch continuation.yield(token) {
        case .terminated:
            throw CancellationError()
        default:
            control.countToken()
        }
    }

    /// Tokens delivered so far.
    public var deliveredTokens: Int { control.delivered }
}

/// Shared state of one generation: the producer task, counters and the summary.
public final class GenerationControl: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var cancelRequested = false
        var consumerGone = false
        var delivered = 0
        var summary: GenerationSummary?
    }
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    func setTask(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelRequested
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            guard state.summary == nil else { return nil }
            state.cancelRequested = true
            state.consumerGone = true
            return state.task
        }
        task?.cancel()
    }

    var consumerGone: Bool { state.withLock { $0.consumerGone } }
    var delivered: Int { state.withLock { $0.delivered } }
    var summary: GenerationSummary? { state.withLock { $0.summary } }

    func countToken() { state.withLock { $0.delivered += 1 } }

    func finish(_ summary: GenerationSummary) { state.withLock { $0.summary = summary } }

    func fallbackMetrics() -> GenerateMetrics {
        GenerateMetrics(generatedTokens: delivered, totalDuration: (ContinuousClock.now - started).seconds)
    }

    func wait() async -> GenerationSummary {
        let task = state.withLock { $0.task }
        await task?.value
        return summary ?? GenerationSummary(finishReason: .cancelled, metrics: fallbackMetrics())
    }
}
