import GRDB

/// One probe's result for a checkpoint in the ``ScoreStore`` (`probe_results`, keyed by run ID, label, probe ID).
public struct ProbeResultRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "probe_results"

    public var runID: String
    public var label: String
    public var probeID: String
    public var category: String
    public var passed: Bool
    /// The model's reply, when kept.
    public var response: String?

    public init(runID: String, label: String, probeID: String, category: String, passed: Bool, response: String? = nil)
    {
        self.runID = runID
        self.label = label
        self.probeID = probeID
        self.category = category
        self.passed = passed
        self.response = response
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case label
        case probeID = "probe_id"
        case category, passed, response
    }
}
