import GRDB

/// One metric of one evaluated item for a checkpoint in the ``ScoreStore`` (`item_scores`, keyed by run ID,
/// label, item ID and metric). A failed item has an `error` and no `value`.
public struct ItemScore: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "item_scores"

    public var runID: String
    public var label: String
    public var itemID: String
    public var metric: String
    public var suite: String
    public var value: Double?
    public var error: String?

    public init(
        runID: String,
        label: String,
        itemID: String,
        metric: String,
        suite: String,
        value: Double?,
        error: String? = nil
    ) {
        self.runID = runID
        self.label = label
        self.itemID = itemID
        self.metric = metric
        self.suite = suite
        self.value = value
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case label
        case itemID = "item_id"
        case metric, suite, value, error
    }
}
