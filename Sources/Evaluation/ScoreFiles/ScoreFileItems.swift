import Foundation
import JSONValues

/// The per-item metrics of a score file's `per_prompt` (ours or the reference's), keyed by model and item id, for
/// comparisons item by item.
///
/// Metrics take their `model_averages` names: the heuristic sub-scores by their own, judge keys by
/// ``ScoreFile/averageName(suite:key:)``, the exact verdict as `exact_accuracy` (1 correct, 0 not). Unscored judge
/// verdicts and non-numeric values are absent, never zero. An entry without an id cannot be paired; a second entry
/// with an id already seen for its model is a duplicate. Both are counted, never dropped silently.
public struct ScoreFileItems: Sendable, Hashable {
    /// model → id → metric → value.
    public var items: [String: [String: [String: Double]]]
    /// Entries per model that have no id.
    public var withoutID: [String: Int]
    /// Entries per model whose id was already seen for that model (the first is kept).
    public var duplicates: [String: Int]

    /// The metric every exact-match verdict gives (a 0/1 outcome).
    public static let exactMetric = "exact_accuracy"
    /// A probe-result file's per-probe outcome (1 passed, 0 not); of a file of several samples, the first answer's.
    public static let probePassedMetric = "probe_passed"
    /// Of a probe-result file of `ml probe --samples K`: the share of a probe's K answers that passed.
    public static let probePassRateMetric = "probe_pass_rate"
    /// The model name the items of a probe-result file stand under (the file does not name its model).
    public static let probeModel = "probes"
    /// Metrics that are 0/1 outcomes per item, tested with the exact McNemar test.
    public static let binaryMetrics: Set<String> = [exactMetric, probePassedMetric]

    /// Whether the file had any `per_prompt` entry at all.
    public var isEmpty: Bool { items.values.allSatisfy(\.isEmpty) && withoutID.isEmpty }

    public init(_ data: Data) throws {
        guard case .object(let root) = try JSONDecoder().decode(JSONValue.self, from: data),
              case .object = root["model_averages"]
        else { throw ScoreComparison.notAScoreFile }
        items = [:]
        withoutID = [:]
        duplicates = [:]
        guard case .object(let perPrompt)? = root["per_prompt"] else { return }
        for (listedModel, value) in perPrompt {
            guard case .array(let entries) = value else { continue }
            for case .object(let entry) in entries {
                // The entry's own model wins over the list it sits in; the reference writes both the same.
                var model = listedModel
                if case .string(let named)? = entry["model"], !named.isEmpty { model = named }
                let id: String?
                switch entry["id"] {
                case .string(let text)? where !text.isEmpty: id = text
                case .number(let number)?: id = number == number.rounded() && abs(number) < 1e15
                    ? String(Int64(number)) : String(number)
                default: id = nil
                }
                guard let id else {
                    withoutID[model, default: 0] += 1
                    continue
                }
                if items[model]?[id] != nil {
                    duplicates[model, default: 0] += 1
                    continue
                }
                items[model, default: [:]][id] = Self.metrics(entry)
            }
        }
    }

    /// The probes of a probe-result file (the reference's shape, see ``ProbeResultFile``), keyed by probe id under
    /// ``probeModel``: ``probePassedMetric`` for each, and ``probePassRateMetric`` when the file holds several samples.
    public init(probeResults file: ProbeResultFile) {
        var byID: [String: [String: Double]] = [:]
        for result in file.results { byID[result.id] = [Self.probePassedMetric: result.passed ? 1 : 0] }
        for tally in file.samples?.probes ?? [] { byID[tally.id]?[Self.probePassRateMetric] = tally.passRate }
        items = byID.isEmpty ? [:] : [Self.probeModel: byID]
        withoutID = [:]
        duplicates = [:]
    }

    /// Whether `data` is a probe-result file rather than a score file: an object with `probes` and no `model_averages`.
    public static func isProbeResultFile(_ data: Data) -> Bool {
        guard case .object(let root)? = try? JSONDecoder().decode(JSONValue.self, from: data) else { return false }
        guard case .object? = root["probes"] else { return false }
        return root["model_averages"] == nil
    }

    /// The numeric metrics of one `per_prompt` entry.
    static func metrics(_ entry: [String: JSONValue]) -> [String: Double] {
        var metrics: [String: Double] = [:]
        if case .object(let heuristic)? = entry["heuristic"] {
            for (key, value) in heuristic { if case .number(let number) = value { metrics[key] = number } }
        }
        if case .object(let standard)? = entry["standard"], case .bool(let correct)? = standard["correct"] {
            metrics[exactMetric] = correct ? 1 : 0
        }
        for suite in JudgeSuite.allCases {
            guard case .object(let verdict)? = entry[suite.rawValue], verdict["unscored"] == nil else { continue }
            for key in suite.numericKeys {
                if case .number(let number)? = verdict[key] { metrics[ScoreFile.averageName(suite: suite, key: key)] = number }
            }
        }
        // A reference file keeps the `standard` judges' scores only in `standard`, under their own keys.
        if case .object(let standard)? = entry["standard"] {
            for judge in ScoringSuite.standard.compactMap(\.judgeSuite) where entry[judge.rawValue] == nil {
                for key in judge.numericKeys {
                    if case .number(let number)? = standard[key] { metrics[ScoreFile.averageName(suite: judge, key: key)] = number }
                }
            }
        }
        return metrics
    }
}
