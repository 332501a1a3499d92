import Evaluation
import Foundation
import Statistics

// `ml compare`'s terminal tables.

/// A table's number: three decimals, `+` before a non-negative difference (`sign`), `—` when absent.
private func format(_ value: Double?, sign: Bool = false) -> String {
    guard let value else { return "—" }
    let text = String(format: "%.3f", value)
    return sign && value >= 0 ? "+" + text : text
}

extension PairedComparison {
    /// The terminal table: one row per model × metric, `*` where the 95% interval excludes zero, `†` where the
    /// difference is significant after Holm–Bonferroni; then the unpaired counts.
    func table() -> String {
        func rate(_ value: Double?, _ interval: WilsonInterval?) -> String {
            guard let interval else { return format(value) }
            return "\(format(value)) [\(format(interval.low)), \(format(interval.high))]"
        }
        func p(_ value: Double?) -> String {
            guard let value else { return "—" }
            return value < 0.0001 ? "<0.0001" : String(format: "%.4f", value)
        }
        let body = rows.map { row -> [String] in
            let interval = row.confidenceInterval.map { "[\(format($0.lowerBound, sign: true)), \(format($0.upperBound, sign: true))]" } ?? "—"
            let mark = (row.intervalExcludesZero ? "*" : "") + (row.holmSignificant ? "†" : "")
            return [row.model, row.metric, row.test.rawValue, String(row.n), rate(row.old, row.oldInterval),
                    rate(row.new, row.newInterval), format(row.delta, sign: true), format(row.standardError),
                    interval, p(row.pValue), format(row.minimumDetectableEffect), mark]
        }
        var text = TextTable.render(
            header: ["model", "metric", "test", "n", "old", "new", "delta", "stderr", "95% CI", "p", "MDE", ""], rows: body,
            leftColumns: 3)
        text += "* 95% CI of the paired difference excludes 0; † significant at 5% after Holm–Bonferroni over \(rows.filter { $0.pValue != nil }.count) tests\n"
        text += "MDE: the smallest true difference these pairs detect with 80% power at 5% (paired t, observed spread)\n"
        for (model, counts) in unpaired.sorted(by: { $0.key < $1.key }) {
            text += "\(model): unpaired items: \(counts.onlyOld) only in OLD, \(counts.onlyNew) only in NEW, "
                + "\(counts.unusable) without an id or with a repeated id\n"
        }
        let oneSided = rows.filter { $0.oneSided > 0 }
        for row in oneSided {
            text += "\(row.model) \(row.metric): \(row.oneSided) paired items have the metric on one side only\n"
        }
        return text
    }
}

extension ScoreComparison {
    /// A fixed-width text table: model, metric, old, new, delta (`—` where absent).
    func table() -> String {
        let body = rows.map { [$0.model, $0.metric, format($0.old), format($0.new), format($0.delta, sign: true)] }
        return TextTable.render(header: ["model", "metric", "old", "new", "delta"], rows: body, leftColumns: 2)
    }
}
