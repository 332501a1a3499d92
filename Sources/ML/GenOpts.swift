import Inference

/// Options of the string API. Defaults suit judging and scoring: temperature 0.1.
public struct GenOpts: Sendable, Hashable, Codable {
    public var temperature: Double
    public var maxTokens: Int
    /// Picks another model on backends that serve several (a remote server); ignored by a loaded model.
    public var model: String?
    public var topK: Int?
    public var topP: Double?
    public var repeatPenalty: Double?
    public var stop: [String]
    public var seed: UInt64?
    /// Constrained output, for backends that support it (see ``Backend/supportsResponseFormat``).
    public var responseFormat: ResponseFormat?

    public init(
        temperature: Double = 0.1,
        maxTokens: Int = 512,
        model: String? = nil,
        topK: Int? = nil,
        topP: Double? = nil,
        repeatPenalty: Double? = nil,
        stop: [String] = [],
        seed: UInt64? = nil,
        responseFormat: ResponseFormat? = nil
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.model = model
        self.topK = topK
        self.topP = topP
        self.repeatPenalty = repeatPenalty
        self.stop = stop
        self.seed = seed
        self.responseFormat = responseFormat
    }

    /// The contract's options, field by field. The model override has no counterpart: a loaded model is fixed.
    public var generateOptions: GenerateOptions {
        GenerateOptions(
            maxTokens: maxTokens,
            temperature: temperature,
            topK: topK,
            topP: topP,
            stop: stop,
            repeatPenalty: repeatPenalty,
            seed: seed,
            responseFormat: responseFormat
        )
    }
}
