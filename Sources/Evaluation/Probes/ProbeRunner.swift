import Foundation
import Inference
import Statistics

/// The outcome of one probe.
public struct ProbeResult: Sendable, Hashable, Codable {
    public var id: String
    public var category: String
    public var passed: Bool
    /// The answer was still inside an unclosed `<think>` block (not passed).
    public var incomplete: Bool
    /// The raw response (`"ERROR: …"` when the backend failed).
    public var response: String
    /// The backend error, when there was one.
    public var error: String?

    public init(id: String, category: String, passed: Bool, incomplete: Bool = false, response: String,
                error: String? = nil) {
        self.id = id
        self.category = category
        self.passed = passed
        self.incomplete = incomplete
        self.response = response
        self.error = error
    }
}

/// Counts of one category.
public struct CategoryCount: Sendable, Hashable, Codable {
    public var correct: Int
    public var total: Int
    public init(correct: Int = 0, total: Int = 0) {
        self.correct = correct
        self.total = total
    }
}

/// All results of a probe run, in probe-set order.
public struct ProbeReport: Sendable, Hashable {
    public var results: [ProbeResult]

    public init(results: [ProbeResult]) { self.results = results }

    public var correct: Int { results.lazy.filter(\.passed).count }
    public var total: Int { results.count }
    /// Fraction correct, 0…1 (0 when there are no results).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    public var incomplete: Int { results.lazy.filter(\.incomplete).count }

    public var byCategory: [String: CategoryCount] {
        var counts: [String: CategoryCount] = [:]
        for result in results {
            counts[result.category, default: CategoryCount()].total += 1
            if result.passed { counts[result.category, default: CategoryCount()].correct += 1 }
        }
        return counts
    }

    /// The reference's probe-result JSON:
    /// `{"accuracy", "correct", "total", "by_category": {cat: {"correct","total"}}, "probes": {id: {"passed","response"}}}`,
    /// plus our own `accuracy_wilson_95`: `[low, high]`, the accuracy's Wilson 95% interval in percent with one
    /// decimal like `accuracy` (absent with no probes). With `samples` (`ml probe --samples K`, this report being the
    /// first sample) also `samples` (K), `sample_accuracy` and `sample_accuracy_wilson_95` over every answer,
    /// `pass_at_1` and `pass_at_k` (percent, averaged over the probes), and per probe `samples_passed`. Only added:
    /// the reference's keys keep their meaning.
    public func encodeReferenceJSON(pretty: Bool = true, samples: ProbeSamples? = nil) throws -> Data {
        struct Entry: Encodable {
            var passed: Bool
            var response: String
            var samples_passed: Int?
        }
        struct Shape: Encodable {
            var accuracy: Double
            var accuracy_wilson_95: [Double]?
            var samples: Int?
            var sample_accuracy: Double?
            var sample_accuracy_wilson_95: [Double]?
            var pass_at_1: Double?
            var pass_at_k: Double?
            var correct: Int
            var total: Int
            var by_category: [String: CategoryCount]
            var probes: [String: Entry]
        }
        func percent(_ fraction: Double) -> Double { (fraction * 1000).rounded() / 10 }
        let passedSamples = Dictionary((samples?.probes ?? []).map { ($0.id, $0.passed) }, uniquingKeysWith: { _, last in last })
        let shape = Shape(
            accuracy: percent(accuracy),
            accuracy_wilson_95: WilsonInterval(successes: correct, trials: total)
                .map { [percent($0.low), percent($0.high)] },
            samples: samples?.count,
            sample_accuracy: samples.map { percent($0.accuracy) },
            sample_accuracy_wilson_95: samples?.accuracyInterval.map { [percent($0.low), percent($0.high)] },
            pass_at_1: samples?.passAt(1).map(percent),
            pass_at_k: samples.flatMap { $0.passAt($0.count) }.map(percent),
            correct: correct, total: total, by_category: byCategory,
            probes: Dictionary(results.map {
                ($0.id, Entry(passed: $0.passed, response: Self.referenceResponse($0.response),
                              samples_passed: passedSamples[$0.id]))
            },
                               uniquingKeysWith: { _, last in last }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        return try encoder.encode(shape)
    }

    /// The stored form of an answer in the probe-result file: think blocks removed, cut to its first
    /// ``referenceResponseBytes`` UTF-8 bytes without splitting a character (the full answers go to `--answers`).
    public static func referenceResponse(_ response: String) -> String {
        let answer = Reasoning.strip(response).answer
        guard answer.utf8.count > referenceResponseBytes else { return answer }
        var end = answer.utf8.index(answer.utf8.startIndex, offsetBy: referenceResponseBytes)
        // Back up to the start of a Unicode scalar (never inside a multi-byte sequence).
        while end > answer.utf8.startIndex, UTF8.isContinuation(answer.utf8[end]) { end = answer.utf8.index(before: end) }
        return String(answer.utf8[..<end]) ?? String(decoding: answer.utf8[..<end], as: UTF8.self)
    }

    /// How many bytes of each answer the probe-result file keeps, as the reference does.
    public static let referenceResponseBytes = 300
}

/// Runs probes against a model (one user message each) with bounded concurrency, reporting each result as it
/// completes.
public struct ProbeRunner: Sendable {
    public var model: any TextModel
    /// Deterministic by default: temperature 0, 512 tokens.
    public var options: GenerateOptions
    public var concurrency: Int

    public init(model: any TextModel, options: GenerateOptions = GenerateOptions(maxTokens: 512, temperature: 0),
                concurrency: Int = 2) {
        self.model = model
        self.options = options
        self.concurrency = max(1, concurrency)
    }

    /// Asks one probe. Model errors give a failed result with the error (never thrown); cancellation is thrown.
    public func ask(_ probe: Probe) async throws -> ProbeResult {
        let response: String
        do {
            response = try await model.reply([.user(probe.prompt)], options: options).text
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            return ProbeResult(id: probe.id, category: probe.category, passed: false,
                               response: "ERROR: \(error)", error: "\(error)")
        }
        try Task.checkCancellation()
        let outcome = probe.evaluate(response)
        return ProbeResult(id: probe.id, category: probe.category, passed: outcome.passed,
                           incomplete: outcome.incomplete, response: response)
    }

    /// Runs every probe of `set` except those in `previous` (results kept from an earlier, interrupted run), calling
    /// `onResult` for each new result as it completes. The report lists results in probe-set order.
    public func run(
        _ set: ProbeSet = .builtIn,
        previous: [ProbeResult] = [],
        onResult: @escaping @Sendable (ProbeResult) async -> Void = { _ in }
    ) async throws -> ProbeReport {
        var done: [String: ProbeResult] = [:]
        for result in previous { done[result.id] = result }
        let pending = set.probes.filter { done[$0.id] == nil }
        try await withThrowingTaskGroup(of: ProbeResult.self) { group in
            var iterator = pending.makeIterator()
            var inFlight = 0
            while true {
                while inFlight < concurrency, let probe = iterator.next() {
                    group.addTask { try await self.ask(probe) }
                    inFlight += 1
                }
                guard inFlight > 0, let result = try await group.next() else { break }
                inFlight -= 1
                done[result.id] = result
                await onResult(result)
            }
        }
        return ProbeReport(results: set.probes.compactMap { done[$0.id] })
    }

    /// Asks every probe of `set` once for each sample index in `samples`, all in one pool of `concurrency` requests,
    /// and returns one report per index, in order. Sample `i` uses seed `options.seed + i`: one fixed seed would
    /// repeat the same answer K times (without a seed the server picks a fresh one per request).
    public func runSamples(
        _ set: ProbeSet = .builtIn,
        samples: Range<Int>,
        onResult: @escaping @Sendable (ProbeResult) async -> Void = { _ in }
    ) async throws -> [ProbeReport] {
        var done: [Int: [String: ProbeResult]] = [:]
        try await withThrowingTaskGroup(of: (Int, ProbeResult).self) { group in
            var iterator = samples.lazy.flatMap { index in set.probes.lazy.map { (index, $0) } }.makeIterator()
            var inFlight = 0
            while true {
                while inFlight < concurrency, let (index, probe) = iterator.next() {
                    var sampler = self
                    sampler.options.seed = options.seed.map { $0 &+ UInt64(index) }
                    group.addTask { (index, try await sampler.ask(probe)) }
                    inFlight += 1
                }
                guard inFlight > 0, let (index, result) = try await group.next() else { break }
                inFlight -= 1
                done[index, default: [:]][result.id] = result
                await onResult(result)
            }
        }
        return samples.map { index in ProbeReport(results: set.probes.compactMap { done[index]?[$0.id] }) }
    }
}
