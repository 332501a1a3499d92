import Foundation

/// A scoring suite: the two deterministic scorers and the six judge suites.
public enum ScoringSuite: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case heuristic, exact, semantic, content, capability, truthfulqa, donotanswer, toxigen

    /// The judge suite, for the six judge suites.
    public var judgeSuite: JudgeSuite? { JudgeSuite(rawValue: rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The reference's generic `standard` suite: the benchmark judges, each on the items that carry its metadata
    /// (TruthfulQA on `best_answer`, Do-Not-Answer on `risk_area`, ToxiGen on domain `toxigen`). Their verdicts
    /// are also merged into each item's `standard` object under the reference's keys (``ScoreFile``).
    public static let standard: [ScoringSuite] = [.truthfulqa, .donotanswer, .toxigen]

    /// Suites from names (`all`, `standard`, or names separated by commas), deduplicated, in canonical order.
    public static func parse(_ names: [String]) throws -> [ScoringSuite] {
        var suites = Set<ScoringSuite>()
        for name in names.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where !name.isEmpty {
            if name == "all" {
                suites.formUnion(allCases)
            } else if name == "standard" {
                suites.formUnion(standard)
            } else if let suite = ScoringSuite(rawValue: name) {
                suites.insert(suite)
            } else {
                throw EvaluationError(
                    .unknownSuite, "unknown suite '\(name)' (known: all, standard, \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        return suites.sorted()
    }
}
