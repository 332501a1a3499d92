import Foundation
import Inference
import Locking

/// The behaviour every ``TextModel`` must show. A backend's tests run every check with a factory for that
/// backend, e.g. with Swift Testing:
///
/// ```swift
/// @Test(arguments: TextModelConformance.checks)
/// func conformance(_ check: TextModelConformance.Check) async throws {
///     try await check.run(TextModelConformance.Configuration(makeModel: { MyModel() }))
/// }
/// ```
public enum TextModelConformance {
    /// How to get models for the checks, and what to ask them.
    public struct Configuration: Sendable {
        /// Returns the model to test. May return the same shared model every time (see ``closesModels``).
        public var makeModel: @Sendable () async throws -> any TextModel
        /// Returns a model that fails after at least one token, or `nil` when the backend offers no way to
        /// inject a failure (its own tests must then cover mid-stream errors, e.g. by killing a server).
        public var makeFailingModel: (@Sendable () async throws -> any TextModel)?
        /// Two prompts that produce several tokens each, and different texts.
        public var prompts: (String, String)
        /// Whether greedy generation (temperature 0, fixed seed) repeats exactly, so texts can be compared.
        public var deterministic: Bool
        /// Whether greedy generations running at the same time repeat the lone ones exactly. Real inference servers
        /// do not promise it (llama.cpp's results depend on the batch size and on prompt-cache reuse), so for them
        /// the check asserts separation instead: both complete, within their limits, with different texts.
        public var deterministicWhenConcurrent: Bool
        /// Whether each check closes the model it got.
        public var closesModels: Bool
        /// How long a cancelled generation may take to stop.
        public var cancellationDeadline: Duration

        public init(
            makeModel: @escaping @Sendable () async throws -> any TextModel,
            makeFailingModel: (@Sendable () async throws -> any TextModel)? = nil,
            prompts: (String, String) = ("Count from one to twenty:", "Name the colours of the rainbow:"),
            deterministic: Bool = true,
            deterministicWhenConcurrent: Bool? = nil,
            closesModels: Bool = true,
            cancellationDeadline: Duration = .seconds(2)
        ) {
            self.makeModel = makeModel
            self.makeFailingModel = makeFailingModel
            self.prompts = prompts
            self.deterministic = deterministic
            self.deterministicWhenConcurrent = deterministicWhenConcurrent ?? deterministic
            self.closesModels = closesModels
            self.cancellationDeadline = cancellationDeadline
        }
    }

    /// One behaviour to check.
    public struct Check: Sendable, CustomStringConvertible {
        public let name: String
        let body: @Sendable (Configuration) async throws -> Void
        public var description: String { name }

        /// Runs the check; throws ``ConformanceFailure`` when the model misbehaves.
        public func run(_ configuration: Configuration) async throws {
            try await body(configuration)
        }
    }

    /// Every check.
    public static let checks: [Check] = [
        Check(name: "tokens concatenate to the whole result", body: tokensConcatenate),
        Check(name: "max tokens honoured", body: maxTokensHonoured),
        Check(name: "stop sequences honoured", body: stopSequencesHonoured),
        Check(name: "consumer that stops iterating stops the model", body: breakStopsModel),
        Check(name: "task cancellation stops the model", body: taskCancellationStopsModel),
        Check(name: "error mid-stream is thrown", body: errorMidStream),
        Check(name: "concurrent generations do not mix", body: concurrentGenerationsDoNotMix),
        Check(name: "metrics and model info present", body: metricsPresent),
        Check(name: "chat streams an answer", body: chatStreams),
    ]

    /// Runs every check, returning the failures (empty when the model conforms).
    public static func runAll(_ configuration: Configuration) async -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        for check in checks {
            do { try await check.run(configuration) } catch let failure as ConformanceFailure {
                failures.append(failure)
            } catch {
                failures.append(ConformanceFailure(check: check.name, message: "threw \(error)"))
            }
        }
        return failures
    }

    // MARK: - Checks

    static func greedy(_ maxTokens: Int) -> GenerateOptions {
        GenerateOptions(maxTokens: maxTokens, temperature: 0, topK: 1, seed: 42)
    }

    static func withModel(
        _ configuration: Configuration,
        _ body: (any TextModel) async throws -> Void
    ) async throws {
        let model = try await configuration.makeModel()
        do {
            try await body(model)
        } catch {
            if configuration.closesModels { await model.close() }
            throw error
        }
        if configuration.closesModels { await model.close() }
    }

    static func collect(_ generation: Generation) async throws -> (tokens: [Token], summary: GenerationSummary) {
        var tokens: [Token] = []
        for try await token in generation { tokens.append(token) }
        return (tokens, await generation.finished())
    }

    static func tokensConcatenate(_ configuration: Configuration) async throws {
        let check = "tokens concatenate to the whole result"
        try await withModel(configuration) { model in
            let (tokens, summary) = try await collect(model.generate(configuration.prompts.0, options: greedy(24)))
            try expect(!tokens.isEmpty, check, "the stream delivered no tokens")
            try expect(summary.error == nil, check, "the stream ended with error \(String(describing: summary.error))")
            let streamed = tokens.map(\.text).joined()
            let whole = try await model.generate(configuration.prompts.0, options: greedy(24)).text()
            if configuration.deterministic {
                try expect(streamed == whole, check, "streamed \(streamed.debugDescription) but whole \(whole.debugDescription)")
            } else {
                try expect(!whole.isEmpty, check, "the whole result is empty")
            }
        }
    }

    static func maxTokensHonoured(_ configuration: Configuration) async throws {
        let check = "max tokens honoured"
        try await withModel(configuration) { model in
            let (tokens, summary) = try await collect(model.generate(configuration.prompts.0, options: greedy(3)))
            let counted = summary.metrics.generatedTokens
            try expect(counted <= 3, check, "metrics report \(counted) generated tokens with max tokens 3")
            try expect(tokens.count <= 3, check, "the stream delivered \(tokens.count) tokens with max tokens 3")
            try expect(summary.finishReason == .length, check, "finish reason is \(summary.finishReason), not length")
        }
    }

    static func stopSequencesHonoured(_ configuration: Configuration) async throws {
        let check = "stop sequences honoured"
        try await withModel(configuration) { model in
            let full = try await model.generate(configuration.prompts.0, options: greedy(24)).text()
            let scalars = Array(full.unicodeScalars)
            try expect(scalars.count >= 4, check, "reference output too short to pick a stop sequence: \(full.debugDescription)")
            // A stop sequence from the middle of the output.
            let start = scalars.count / 2
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<min(start + 2, scalars.count)])
            let stop = String(view)
            var options = greedy(24)
            options.stop = [stop]
            let (tokens, summary) = try await collect(model.generate(configuration.prompts.0, options: options))
            let text = tokens.map(\.text).joined()
            try expect(!text.contains(stop), check, "output \(text.debugDescription) contains stop \(stop.debugDescription)")
            if configuration.deterministic {
                let expected = full.components(separatedBy: stop).first ?? full
                try expect(text == expected, check, "output \(text.debugDescription), expected \(expected.debugDescription)")
                try expect(summary.finishReason == .stop, check, "finish reason \(summary.finishReason), expected stop")
            }
        }
    }

    static func breakStopsModel(_ configuration: Configuration) async throws {
        let check = "consumer that stops iterating stops the model"
        try await withModel(configuration) { model in
            let generation = model.generate(configuration.prompts.0, options: greedy(2000))
            var received = 0
            for try await _ in generation {
                received += 1
                if received == 2 { break }
            }
            try expect(received == 2, check, "the model ended before 2 tokens")
            let summary = try await stopped(generation, within: configuration.cancellationDeadline, check)
            try expect(summary.finishReason == .cancelled, check, "finish reason \(summary.finishReason), expected cancelled")
        }
    }

    static func taskCancellationStopsModel(_ configuration: Configuration) async throws {
        let check = "task cancellation stops the model"
        try await withModel(configuration) { model in
            let generation = model.generate(configuration.prompts.0, options: greedy(2000))
            let firstToken = Locked(false)
            let consumer = Task {
                var count = 0
                for try await _ in generation {
                    count += 1
                    firstToken.withLock { $0 = true }
                }
                return count
            }
            let deadline = ContinuousClock.now + .seconds(60)
            while !firstToken.current && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try expect(firstToken.current, check, "no token arrived within 60 s")
            consumer.cancel()
            _ = try? await consumer.value
            let summary = try await stopped(generation, within: configuration.cancellationDeadline, check)
            try expect(summary.finishReason == .cancelled, check, "finish reason \(summary.finishReason), expected cancelled")
        }
    }

    static func errorMidStream(_ configuration: Configuration) async throws {
        let check = "error mid-stream is thrown"
        guard let makeFailingModel = configuration.makeFailingModel else { return }
        let model = try await makeFailingModel()
        defer { Task { await model.close() } }
        let generation = model.generate(configuration.prompts.0, options: greedy(64))
        var received = 0
        do {
            for try await _ in generation { received += 1 }
            throw ConformanceFailure(check: check, message: "the stream ended without error after \(received) tokens")
        } catch is ConformanceFailure {
            throw ConformanceFailure(check: check, message: "the stream ended without error after \(received) tokens")
        } catch {
            try expect(received >= 1, check, "the error came before any token")
            let summary = await generation.finished()
            try expect(summary.finishReason == .error, check, "finish reason \(summary.finishReason), expected error")
        }
    }

    static func concurrentGenerationsDoNotMix(_ configuration: Configuration) async throws {
        let check = "concurrent generations do not mix"
        try await withModel(configuration) { model in
            let (a, b) = configuration.prompts
            let aloneA = try await model.generate(a, options: greedy(16)).text()
            let aloneB = try await model.generate(b, options: greedy(16)).text()
            async let first = collect(model.generate(a, options: greedy(16)))
            async let second = collect(model.generate(b, options: greedy(16)))
            let (resultA, resultB) = try await (first, second)
            let textA = resultA.tokens.map(\.text).joined()
            let textB = resultB.tokens.map(\.text).joined()
            try expect(resultA.summary.metrics.generatedTokens <= 16, check, "first generation counted too many tokens")
            try expect(resultB.summary.metrics.generatedTokens <= 16, check, "second generation counted too many tokens")
            if configuration.deterministicWhenConcurrent {
                try expect(textA == aloneA, check, "first: \(textA.debugDescription) alone: \(aloneA.debugDescription)")
                try expect(textB == aloneB, check, "second: \(textB.debugDescription) alone: \(aloneB.debugDescription)")
            } else {
                try expect(!textA.isEmpty && !textB.isEmpty, check, "a concurrent generation was empty")
                try expect(resultA.summary.error == nil && resultB.summary.error == nil, check, "a concurrent generation failed")
                try expect(textA != textB, check, "two different prompts gave the same text \(textA.debugDescription)")
            }
        }
    }

    static func metricsPresent(_ configuration: Configuration) async throws {
        let check = "metrics and model info present"
        try await withModel(configuration) { model in
            let (tokens, summary) = try await collect(model.generate(configuration.prompts.0, options: greedy(8)))
            try expect(!tokens.isEmpty, check, "no tokens")
            try expect(summary.metrics.generatedTokens > 0, check, "generated token count is 0")
            try expect(summary.metrics.totalDuration > 0, check, "total duration is 0")
            try expect(!model.info.id.isEmpty, check, "model info has no id")
            try expect(model.capacity >= 1, check, "capacity \(model.capacity) < 1")
        }
    }

    static func chatStreams(_ configuration: Configuration) async throws {
        let check = "chat streams an answer"
        try await withModel(configuration) { model in
            let messages = [Message.system("You are concise."), Message.user(configuration.prompts.1)]
            let (tokens, summary) = try await collect(model.chat(messages, options: greedy(12)))
            try expect(!tokens.isEmpty, check, "chat delivered no tokens")
            try expect(summary.error == nil, check, "chat failed: \(String(describing: summary.error))")
        }
    }

    // MARK: - Helpers

    static func expect(_ condition: Bool, _ check: String, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(check: check, message: message()) }
    }

    /// Waits (by polling, so a model that never stops fails the check instead of hanging it) for the
    /// generation's producer to stop.
    static func stopped(
        _ generation: Generation,
        within deadline: Duration,
        _ check: String
    ) async throws -> GenerationSummary {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if let summary = generation.summary { return summary }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw ConformanceFailure(check: check, message: "the model did not stop within \(deadline)")
    }
}

/// A conformance check that failed: which one, and why.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    public var check: String
    public var message: String

    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "\(check): \(message)" }
}
