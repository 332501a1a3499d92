import Evaluation
import Foundation
import Statistics

/// Readable reports of probe and scoring results.
enum ScoreReport {
    /// Per-model, per-metric averages (as in a score file's `model_averages`).
    static func averagesTable(_ averages: [String: [String: Double]]) -> String {
        var rows: [[String]] = []
        for model in averages.keys.sorted() {
            for (metric, value) in averages[model, default: [:]].sorted(by: { $0.key < $1.key }) {
                rows.append([model, metric, String(format: "%.3f", value)])
            }
        }
        if rows.isEmpty { return "no scores\n" }
        return TextTable.render(header: ["model", "metric", "average"], rows: rows, leftColumns: 2)
    }

    /// Per-category counts in the set's category order, then the overall accuracy.
    static func probeTable(_ report: ProbeReport, categoryOrder: [String] = []) -> String {
        let counts = report.byCategory
        var order = categoryOrder.filter { counts[$0] != nil }
        order += counts.keys.filter { !order.contains($0) }.sorted()
        var rows = order.compactMap { category -> [String]? in
            guard let count = counts[category] else { return nil }
            return [category, "\(count.correct)", "\(count.total)", percent(count.correct, count.total),
                    wilson(count.correct, count.total)]
        }
        rows.append(["overall", "\(report.correct)", "\(report.total)", percent(report.correct, report.total),
                     wilson(report.correct, report.total)])
        return TextTable.render(header: ["category", "correct", "total", "accuracy", "95% CI (Wilson)"], rows: rows)
    }

    /// One row per probe of a `--samples K` run (answers passed, pass@1 — the pass rate —, pass@K), then every answer's
    /// accuracy with its Wilson interval and the probes' mean pass@1 and pass@K.
    static func samplesTable(_ samples: ProbeSamples) -> String {
        let k = samples.count
        func rate(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        var rows = samples.probes.map { probe -> [String] in
            [probe.id, probe.category, "\(probe.passed)/\(probe.samples)", rate(probe.passAt(1)), rate(probe.passAt(k)), ""]
        }
        rows.append(["overall", "", "\(samples.passed)/\(samples.answers)", rate(samples.passAt(1)), rate(samples.passAt(k)),
                     wilson(samples.passed, samples.answers)])
        return TextTable.render(header: ["probe", "category", "passed", "pass@1", "pass@\(k)", "95% CI (Wilson)"],
                                rows: rows, leftColumns: 2)
    }

    /// The Wilson 95% interval of `correct` of `total` in percent, `[low%, high%]` (`—` for no probes).
    private static func wilson(_ correct: Int, _ total: Int) -> String {
        guard let interval = WilsonInterval(successes: correct, trials: total) else { return "—" }
        return String(format: "[%.1f%%, %.1f%%]", interval.low * 100, interval.high * 100)
    }

    /// One row per content probe: each numeric score of the content suite, or the reason it is unscored.
    static func contentTable(_ results: [ContentProbeResult]) -> String {
        let keys = JudgeSuite.content.numericKeys
        let rows = results.map { result -> [String] in
            guard let _ = result.verdict.scores else {
                return [result.id] + keys.map { _ in "—" } + ["unscored: \(result.verdict.reason ?? "")"]
            }
            return [result.id] + keys.map { key in result.verdict.number(key).map { String(format: "%.0f", $0) } ?? "—" } + [""]
        }
        return TextTable.render(header: ["probe"] + keys + ["note"], rows: rows)
    }

    private static func percent(_ correct: Int, _ total: Int) -> String {
        total == 0 ? "—" : String(format: "%.1f%%", Double(correct) * 100 / Double(total))
    }
}
