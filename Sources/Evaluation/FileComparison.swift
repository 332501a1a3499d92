import Foundation
import JSONValues

/// Two result files compared (`ml compare`, the `ml_compare` tool): two probe-result files or two score files with
/// per-item entries are compared item by item (``PairedComparison``); score files without them fall back to their
/// averages side by side, with no test.
public enum FileComparison: Sendable {
    case paired(PairedComparison)
    case averages(ScoreComparison)

    /// Reads both files' contents. Throws when they are neither two probe-result files nor two score files.
    public init(old: Data, new: Data) throws {
        if let paired = try PairedComparison(probeFiles: old, new: new) {
            self = .paired(paired)
            return
        }
        let averages = try ScoreComparison(old: old, new: new)
        if let paired = try PairedComparison(old: old, new: new) {
            self = .paired(paired)
        } else {
            self = .averages(averages)
        }
    }

    public init(oldPath: String, newPath: String) throws {
        try self.init(old: Data(contentsOf: URL(fileURLWithPath: oldPath)), new: Data(contentsOf: URL(fileURLWithPath: newPath)))
    }

    /// `ml compare --json`: the paired rows (see ``PairedComparison/json()``), or `paired: false` and the averages.
    public func json() -> JSONValue {
        switch self {
        case .paired(let paired):
            return paired.json()
        case .averages(let comparison):
            func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
            let rows = comparison.rows.map { row -> JSONValue in
                .object(["model": .string(row.model), "metric": .string(row.metric), "old": number(row.old),
                         "new": number(row.new), "delta": number(row.delta)])
            }
            return .object(["paired": .bool(false), "rows": .array(rows)])
        }
    }
}
