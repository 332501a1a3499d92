import Foundation
import GRDB

/// One scored checkpoint in the ``ScoreStore`` (`checkpoint_scores`, keyed by run ID and label).
public struct CheckpointScore: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "checkpoint_scores"

    public var runID: String
    public var label: String
    public var model: String
    public var iteration: Int
    /// Capability accuracy in percent.
    public var accuracy: Double
    public var correct: Int
    public var total: Int
    public var judgeReasoning: Double?
    public var judgeCorrectness: Double?
    public var judgeClarity: Double?
    public var judgeAvg: Double?
    /// Content scores by dimension (a JSON column).
    public var content: [String: Double]?
    public var scoredAt: Date

    public init(
        runID: String,
        label: String,
        model: String,
        iteration: Int,
        accuracy: Double,
        correct: Int,
        total: Int,
        judgeReasoning: Double? = nil,
        judgeCorrectness: Double? = nil,
        judgeClarity: Double? = nil,
        judgeAvg: Double? = nil,
        content: [String: Double]? = nil,
        scoredAt: Date = Date()
    ) {
        self.runID = runID
        self.label = label
        self.model = model
        self.iteration = iteration
        self.accuracy = accuracy
        self.correct = correct
        self.total = total
        self.judgeReasoning = judgeReasoning
        self.judgeCorrectness = judgeCorrectness
        self.judgeClarity = judgeClarity
        self.judgeAvg = judgeAvg
        self.content = content
        self.scoredAt = scoredAt
    }

    /// Its primary key.
    public var key: CheckpointKey { CheckpointKey(runID: runID, label: label) }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case label, model, iteration, accuracy, correct, total
        case judgeReasoning = "judge_reasoning"
        case judgeCorrectness = "judge_correctness"
        case judgeClarity = "judge_clarity"
        case judgeAvg = "judge_avg"
        case content
        case scoredAt = "scored_at"
    }
}

/// A checkpoint's identity: run ID and label.
public struct CheckpointKey: Sendable, Hashable, CustomStringConvertible {
    public var runID: String
    public var label: String

    public init(runID: String, label: String) {
        self.runID = runID
        self.label = label
    }

    public var description: String { "\(runID)/\(label)" }
}
