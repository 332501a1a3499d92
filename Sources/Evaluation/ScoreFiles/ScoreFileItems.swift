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
        return metrics
    }
}
