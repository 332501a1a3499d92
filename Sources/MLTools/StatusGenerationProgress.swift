import Foundation
import JSONValues

/// One worker's dataset-generation progress: the newest `golden_gen_progress` (kind `golden`) or
/// `expansion_progress` (kind `expansion`) point of that worker.
public struct StatusGenerationProgress: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case golden, expansion }

    public var kind: Kind
    public var worker: String
    public var completed: Int
    public var target: Int
    public var percent: Double

    public init(kind: Kind, worker: String, completed: Int, target: Int, percent: Double) {
        self.kind = kind
        self.worker = worker
        self.completed = completed
        self.target = target
        self.percent = percent
    }

    var json: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "worker": .string(worker), "completed": .number(Double(completed)),
            "target": .number(Double(target)), "pct": .number(percent),
        ])
    }

    /// The reference's line: kind, `completed/target`, percent, (worker).
    var line: String {
        "  " + StatusTrainingProgress.padded(kind.rawValue, 13) + " "
            + StatusTrainingProgress.padded("\(completed)/\(target)", 11, right: true) + " "
            + StatusTrainingProgress.padded(String(format: "%.1f%%", percent), 7, right: true) + "  (\(worker))"
    }
}
