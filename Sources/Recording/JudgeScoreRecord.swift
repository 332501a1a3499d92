import GRDB

/// One judge score of one probe on one dimension for a checkpoint in the ``ScoreStore`` (`judge_scores`, keyed by
/// run ID, label, suite, probe ID and dimension).
public struct JudgeScoreRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "judge_scores"

    public var runID: String
    public var label: String
    public var model: String
    public var iteration: Int
    /// `"capability"` or `"content"`.
    public var suite: String
    public var probeID: String
    public var category: String?
    /// The judged dimension, e.g. `reasoning`, `correctness`, `clarity`, `ccp_compliance`.
    public var dimension: String
    /// `nil` when the judge's reply was unusable: the probe stays visible as unscored instead of being hidden.
    public var score: Double?

    public init(
        runID: String,
        label: String,
        model: String,
        iteration: Int,
        suite: String,
        probeID: String,
        category: String? = nil,
        dimension: String,
        score: Double?
    ) {
        self.runID = runID
        self.label = label
        self.model = model
        self.iteration = iteration
        self.suite = suite
        self.probeID = probeID
        self.category = category
        self.dimension = dimension
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case label, model, iteration, suite
        case probeID = "probe_id"
        case category, dimension, score
    }
}
