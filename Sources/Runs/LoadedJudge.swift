import Inference

/// A loaded judge: the model, what to record about it, and whether to close it afterwards.
public struct LoadedJudge: Sendable {
    public var model: any TextModel
    public var modelName: String
    /// The judge's base URL as recorded (redacted: no user, password or query).
    public var url: String?
    public var modelSHA256: String?
    /// Judge calls the model serves at once.
    public var capacity: Int
    /// Closed by ``close()`` unless it is shared with the caller.
    public var ownedModel: (any TextModel)?

    public init(model: any TextModel, modelName: String, url: String? = nil, modelSHA256: String? = nil, capacity: Int,
                ownedModel: (any TextModel)?) {
        self.model = model
        self.modelName = modelName
        self.url = url
        self.modelSHA256 = modelSHA256
        self.capacity = capacity
        self.ownedModel = ownedModel
    }

    public func close() async { await ownedModel?.close() }
}
