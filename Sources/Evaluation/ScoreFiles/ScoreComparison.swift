import Foundation
import JSONValues

/// Two score files' model averages side by side (`ml compare OLD NEW`).
public struct ScoreComparison: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var model: String
        public var metric: String
        public var old: Double?
        public var new: Double?
        /// `new − old`, when both are present.
        public var delta: Double? { old.flatMap { old in new.map { $0 - old } } }
    }

    public var rows: [Row]

    /// Compares `model_averages` of two score files, ours or the reference's (other parts are ignored; non-numeric
    /// averages are skipped; older names are read as ``currentName(_:)``).
    public init(old: Data, new: Data) throws {
        let before = try Self.averages(old)
        let after = try Self.averages(new)
        var rows: [Row] = []
        for model in Set(before.keys).union(after.keys).sorted() {
            let a = before[model] ?? [:], b = after[model] ?? [:]
            for metric in Set(a.keys).union(b.keys).sorted() {
                rows.append(Row(model: model, metric: metric, old: a[metric], new: b[metric]))
            }
        }
        self.rows = rows
    }

    public init(oldPath: String, newPath: String) throws {
        try self.init(old: Data(contentsOf: URL(fileURLWithPath: oldPath)),
                      new: Data(contentsOf: URL(fileURLWithPath: newPath)))
    }

    static let notAScoreFile = EvaluationError(.notAScoreFile, "not a score file: no model_averages object")

    /// `model_averages` of a score file: model → metric → value (non-numeric values left out).
    public static func averages(_ data: Data) throws -> [String: [String: Double]] {
        guard case .object(let root) = try JSONDecoder().decode(JSONValue.self, from: data),
              case .object(let models)? = root["model_averages"]
        else { throw notAScoreFile }
        var result: [String: [String: Double]] = [:]
        for (model, value) in models {
            guard case .object(let metrics) = value else { continue }
            var numbers: [String: Double] = [:]
            for (metric, value) in metrics { if case .number(let n) = value { numbers[currentName(metric)] = n } }
            result[model] = numbers
        }
        return result
    }

    /// The current `model_averages` name of a metric: files written before the names followed the reference
    /// said `semantic_sovereignty` or `content_truth_telling`; they compare key by key with the reference's and ours.
    static func currentName(_ metric: String) -> String {
        for suite in [JudgeSuite.semantic, .content] {
            let prefix = "\(suite.rawValue)_"
            guard metric.hasPrefix(prefix) else { continue }
            let key = String(metric.dropFirst(prefix.count))
            if suite.numericKeys.contains(key) { return ScoreFile.averageName(suite: suite, key: key) }
        }
        return metric
    }
}
