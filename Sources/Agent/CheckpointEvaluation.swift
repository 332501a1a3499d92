import Evaluation
import Foundation

/// Everything measured of one checkpoint.
package struct CheckpointEvaluation: Sendable {
    /// The capability probes' results, in probe-set order.
    package var probes: ProbeReport
    /// The capability judge's verdict on each answer, by probe id (absent when the judge pass failed as a whole).
    package var judged: [String: JudgeVerdict]
    /// Content probe results, when content probes ran.
    package var content: [ContentProbeResult]?
    /// With several answers per probe: every sample's tally (``probes`` is the first sample).
    package var samples: ProbeSamples?

    package init(probes: ProbeReport, judged: [String: JudgeVerdict], content: [ContentProbeResult]? = nil,
                 samples: ProbeSamples? = nil) {
        self.probes = probes
        self.judged = judged
        self.content = content
        self.samples = samples
    }

    /// Means of the capability judge's reasoning, correctness and clarity over the scored answers, and their mean
    /// (`avg`); nil when no answer was scored.
    package var judgeAverages: (reasoning: Double, correctness: Double, clarity: Double, avg: Double)? {
        let scored = judged.values.compactMap(\.scores)
        guard !scored.isEmpty else { return nil }
        func mean(_ key: String) -> Double {
            let values = scored.compactMap { scores -> Double? in
                if case .number(let value)? = scores[key] { return value }
                return nil
            }
            return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        }
        let reasoning = mean("reasoning"), correctness = mean("correctness"), clarity = mean("clarity")
        return (reasoning, correctness, clarity, (reasoning + correctness + clarity) / 3)
    }

    /// Answers the judge could not score, with the reason.
    package var unscored: [(id: String, reason: String)] {
        judged.compactMap { id, verdict in verdict.reason.map { (id, $0) } }.sorted { $0.id < $1.id }
    }

    /// Mean content-suite score per dimension over the scored content probes.
    package var contentAverages: [String: Double] {
        guard let content else { return [:] }
        var sums: [String: (Double, Int)] = [:]
        for result in content {
            for key in JudgeSuite.content.numericKeys {
                guard let value = result.verdict.number(key) else { continue }
                sums[key, default: (0, 0)].0 += value
                sums[key, default: (0, 0)].1 += 1
            }
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }
}
