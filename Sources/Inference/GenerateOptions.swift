/// Sampling and length settings for one generation.
///
/// A `nil` field means "the backend's default": backends send or apply only what is set.
public struct GenerateOptions: Sendable, Hashable, Codable {
    /// The most tokens to generate.
    public var maxTokens: Int?
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    /// Generation ends before the first occurrence of any of these strings.
    public var stop: [String]
    public var repeatPenalty: Double?
    public var seed: UInt64?
    /// Constrained output, for backends that support it.
    public var responseFormat: ResponseFormat?

    public init(
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        topK: Int? = nil,
        topP: Double? = nil,
        minP: Double? = nil,
        stop: [String] = [],
        repeatPenalty: Double? = nil,
        seed: UInt64? = nil,
        responseFormat: ResponseFormat? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.stop = stop
        self.repeatPenalty = repeatPenalty
        self.seed = seed
        self.responseFormat = responseFormat
    }
}

/// A request for constrained output.
public enum ResponseFormat: Sendable, Hashable, Codable {
    /// Any valid JSON object.
    case jsonObject
    /// JSON matching a schema, given as JSON text (kept as text so the contract needs no JSON library).
    case jsonSchema(name: String, schema: String)
}
