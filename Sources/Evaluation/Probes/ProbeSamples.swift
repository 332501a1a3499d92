import Foundation
import Statistics

/// Several answers to every probe (`ml probe --samples K`): each probe's pass count and pass@k, and the accuracy over
/// every answer with its Wilson interval.
public struct ProbeSamples: Sendable, Hashable {
    /// One probe's samples: `passed` of `samples` answers passed.
    public struct Tally: Sendable, Hashable {
        public var id: String
        public var category: String
        public var passed: Int
        public var samples: Int

        public init(id: String, category: String, passed: Int, samples: Int) {
            self.id = id
            self.category = category
            self.passed = passed
            self.samples = samples
        }

        public var passRate: Double { samples == 0 ? 0 : Double(passed) / Double(samples) }
        /// The unbiased pass@k of this probe's samples (`nil` for `k` outside 1…samples).
        public func passAt(_ k: Int) -> Double? { PassAtK.estimate(samples: samples, correct: passed, k: k) }
    }

    /// K, the answers asked per probe.
    public var count: Int
    /// In probe-set order.
    public var probes: [Tally]

    public init(count: Int, probes: [Tally]) {
        self.count = count
        self.probes = probes
    }

    /// Combines one report per sample (each in probe-set order, as ``ProbeRunner`` returns them); a probe missing
    /// from a report counts one sample fewer.
    public init(reports: [ProbeReport]) {
        count = reports.count
        var order: [String] = []
        var byID: [String: Tally] = [:]
        for report in reports {
            for result in report.results {
                if byID[result.id] == nil {
                    order.append(result.id)
                    byID[result.id] = Tally(id: result.id, category: result.category, passed: 0, samples: 0)
                }
                byID[result.id]?.samples += 1
                if result.passed { byID[result.id]?.passed += 1 }
            }
        }
        probes = order.compactMap { byID[$0] }
    }

    public var passed: Int { probes.reduce(0) { $0 + $1.passed } }
    public var answers: Int { probes.reduce(0) { $0 + $1.samples } }
    /// Fraction of every answer that passed, 0…1 (0 with none).
    public var accuracy: Double { answers == 0 ? 0 : Double(passed) / Double(answers) }
    /// The Wilson 95% interval of ``accuracy``, treating the answers as independent trials (answers to one probe are
    /// not: with K > 1 the interval is somewhat narrower than the truth).
    public var accuracyInterval: WilsonInterval? { WilsonInterval(successes: passed, trials: answers) }

    /// pass@k averaged over the probes with at least `k` samples (`nil` when none has).
    public func passAt(_ k: Int) -> Double? {
        let values = probes.compactMap { $0.passAt(k) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
