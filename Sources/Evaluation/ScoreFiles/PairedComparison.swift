import Foundation
import JSONValues
import Statistics

/// Two score files compared item by item (`ml compare OLD NEW` when both carry `per_prompt` entries): items are
/// paired on model and id, and each model × metric gets the paired mean difference with its standard error, 95%
/// t interval and two-sided paired-t p-value — or, for the 0/1 `exact_accuracy` and `probe_passed`, the exact McNemar
/// test with Wilson intervals on both rates. Two probe-result files pair on probe id (``init(probeFiles:new:)``). Holm–Bonferroni decides significance across all rows at once.
///
/// Nothing is dropped silently: items of a model in one file only, entries without an id or with a repeated id,
/// and paired items where a metric is present on one side only are all counted.
public struct PairedComparison: Sendable, Hashable {
    public enum Test: String, Sendable, Hashable {
        case pairedT = "paired-t"
        case mcnemarExact = "mcnemar-exact"
    }

    public struct Row: Sendable, Hashable {
        public var model: String
        public var metric: String
        public var test: Test
        /// Pairs with the metric on both sides.
        public var n: Int
        /// Paired items with the metric on one side only (left out of `n`).
        public var oneSided: Int
        public var old: Double?
        public var new: Double?
        /// Mean of `new − old` over the pairs.
        public var delta: Double?
        public var standardError: Double?
        public var confidenceInterval: ClosedRange<Double>?
        public var pValue: Double?
        /// Wilson 95% intervals of the old and new rates (`mcnemar-exact` rows only).
        public var oldInterval: WilsonInterval?
        public var newInterval: WilsonInterval?
        /// Significant at family-wise 5% after Holm–Bonferroni over every row with a p-value.
        public var holmSignificant = false

        /// Whether the 95% interval of the difference excludes zero (the table's `*`).
        public var intervalExcludesZero: Bool {
            guard let interval = confidenceInterval else { return false }
            return !interval.contains(0)
        }

        /// The smallest true difference `n` pairs detect with 80% power at 5% two-sided, at the observed standard
        /// deviation of the differences (`paired-t` rows with two pairs or more): below it, "no significant
        /// difference" says little.
        public var minimumDetectableEffect: Double? {
            guard test == .pairedT, let standardError else { return nil }
            return MinimumDetectableEffect.paired(n: n, standardDeviation: standardError * Double(n).squareRoot())
        }
    }

    /// Per model: items only the old file has, only the new file has, and entries that could not be paired
    /// (no id, or an id repeated within the model) in either file.
    public struct Unpaired: Sendable, Hashable {
        public var onlyOld = 0
        public var onlyNew = 0
        public var unusable = 0
        public var total: Int { onlyOld + onlyNew + unusable }
    }

    public var rows: [Row]
    public var unpaired: [String: Unpaired]

    public init(old: ScoreFileItems, new: ScoreFileItems) {
        var rows: [Row] = []
        var unpaired: [String: Unpaired] = [:]
        let models = Set(old.items.keys).union(new.items.keys).union(old.withoutID.keys).union(new.withoutID.keys)
            .union(old.duplicates.keys).union(new.duplicates.keys)
        for model in models.sorted() {
            let before = old.items[model] ?? [:], after = new.items[model] ?? [:]
            var counts = Unpaired()
            counts.onlyOld = before.keys.filter { after[$0] == nil }.count
            counts.onlyNew = after.keys.filter { before[$0] == nil }.count
            counts.unusable = (old.withoutID[model] ?? 0) + (new.withoutID[model] ?? 0) + (old.duplicates[model] ?? 0)
                + (new.duplicates[model] ?? 0)
            if counts.total > 0 { unpaired[model] = counts }
            // id → (old metrics, new metrics), for the ids on both sides
            let pairs = before.compactMap { id, old in after[id].map { (id, old, $0) } }.sorted { $0.0 < $1.0 }
            var metrics = Set<String>()
            for (_, old, new) in pairs { metrics.formUnion(old.keys); metrics.formUnion(new.keys) }
            for metric in metrics.sorted() {
                var olds: [Double] = [], news: [Double] = []
                var oneSided = 0
                for (_, old, new) in pairs {
                    switch (old[metric], new[metric]) {
                    case (let a?, let b?): olds.append(a); news.append(b)
                    case (nil, nil): break
                    default: oneSided += 1
                    }
                }
                rows.append(Self.row(model: model, metric: metric, old: olds, new: news, oneSided: oneSided))
            }
        }
        // Holm over the rows that have a test result; the others cannot be significant.
        let tested = rows.indices.filter { rows[$0].pValue != nil }
        let significant = HolmBonferroni.significant(tested.map { rows[$0].pValue! })
        for (index, flag) in zip(tested, significant) { rows[index].holmSignificant = flag }
        self.rows = rows
        self.unpaired = unpaired
    }

    /// Two probe-result files (`ml probe --output`) paired on probe id: `probe_passed` by the exact McNemar test and,
    /// when both hold several samples per probe, `probe_pass_rate` by the paired t-test. `nil` unless both are
    /// probe-result files.
    public init?(probeFiles old: Data, new: Data) throws {
        guard ScoreFileItems.isProbeResultFile(old), ScoreFileItems.isProbeResultFile(new) else { return nil }
        self.init(old: ScoreFileItems(probeResults: try ProbeResultFile(data: old)),
                  new: ScoreFileItems(probeResults: try ProbeResultFile(data: new)))
    }

    /// Reads both files' `per_prompt`; `nil` when either has no entries (no paired test is possible).
    public init?(old: Data, new: Data) throws {
        let before = try ScoreFileItems(old), after = try ScoreFileItems(new)
        guard !before.isEmpty, !after.isEmpty else { return nil }
        self.init(old: before, new: after)
    }

    static func row(model: String, metric: String, old: [Double], new: [Double], oneSided: Int) -> Row {
        let mean = { (values: [Double]) in SampleSummary(values).mean }
        var row = Row(model: model, metric: metric, test: .pairedT, n: old.count, oneSided: oneSided,
                      old: mean(old), new: mean(new))
        let test = PairedTTest(old: old, new: new)
        row.delta = test.differences.mean
        row.standardError = test.differences.standardError
        row.confidenceInterval = test.confidenceInterval
        let binary = ScoreFileItems.binaryMetrics.contains(metric) && (old + new).allSatisfy { $0 == 0 || $0 == 1 }
        if binary && !old.isEmpty {
            // Exact match and a probe's pass are 0/1 outcomes: the t interval stays as the interval of the rate
            // difference, but the test is McNemar's exact one on the discordant pairs (the t-test's p is poor for
            // 0/1 data).
            row.test = .mcnemarExact
            row.pValue = McNemarTest(old: old.map { $0 == 1 }, new: new.map { $0 == 1 }).pValue
            row.oldInterval = WilsonInterval(successes: old.filter { $0 == 1 }.count, trials: old.count)
            row.newInterval = WilsonInterval(successes: new.filter { $0 == 1 }.count, trials: new.count)
        } else {
            row.pValue = test.pValue
        }
        return row
    }

    /// `--json`: rows with `model, metric, n, old, new, delta, stderr, ci_low, ci_high, p_value, test,
    /// holm_significant, mde` (absent values are null), then `unpaired` per model.
    public func json() -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        let rows = rows.map { row -> JSONValue in
            var object: [String: JSONValue] = [
                "model": .string(row.model), "metric": .string(row.metric), "n": .number(Double(row.n)),
                "old": number(row.old), "new": number(row.new), "delta": number(row.delta),
                "stderr": number(row.standardError), "ci_low": number(row.confidenceInterval?.lowerBound),
                "ci_high": number(row.confidenceInterval?.upperBound), "p_value": number(row.pValue),
                "test": .string(row.test.rawValue), "holm_significant": .bool(row.holmSignificant),
                "one_sided": .number(Double(row.oneSided)), "mde": number(row.minimumDetectableEffect),
            ]
            if let interval = row.oldInterval { object["old_wilson"] = .array([.number(interval.low), .number(interval.high)]) }
            if let interval = row.newInterval { object["new_wilson"] = .array([.number(interval.low), .number(interval.high)]) }
            return .object(object)
        }
        let unpaired = self.unpaired.mapValues { counts -> JSONValue in
            .object(["only_old": .number(Double(counts.onlyOld)), "only_new": .number(Double(counts.onlyNew)),
                     "unusable": .number(Double(counts.unusable))])
        }
        return .object(["paired": .bool(true), "rows": .array(rows), "unpaired": .object(unpaired)])
    }
}
