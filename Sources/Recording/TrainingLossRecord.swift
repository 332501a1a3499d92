import GRDB

/// One training- or validation-loss reading of a run in the ``ScoreStore`` (`training_loss`, keyed by run ID,
/// iteration and loss type), from `ml ingest --training-log` or `ml agent --training-log`.
public struct TrainingLossRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "training_loss"

    public var runID: String
    public var model: String
    public var iteration: Int
    /// `"train"` or `"val"`.
    public var lossType: String
    public var loss: Double
    public var learningRate: Double?
    public var iterationsPerSecond: Double?
    public var tokensPerSecond: Double?

    public init(
        runID: String,
        model: String,
        iteration: Int,
        lossType: String,
        loss: Double,
        learningRate: Double? = nil,
        iterationsPerSecond: Double? = nil,
        tokensPerSecond: Double? = nil
    ) {
        self.runID = runID
        self.model = model
        self.iteration = iteration
        self.lossType = lossType
        self.loss = loss
        self.learningRate = learningRate
        self.iterationsPerSecond = iterationsPerSecond
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case model, iteration
        case lossType = "loss_type"
        case loss
        case learningRate = "learning_rate"
        case iterationsPerSecond = "iterations_per_second"
        case tokensPerSecond = "tokens_per_second"
    }
}
