/// The sampling fields of a request, as OpenAI and llama.cpp name them (`top_k`, `min_p`, `repeat_penalty` are
/// llama.cpp extensions other servers ignore). Only the fields that are set are sent.
public struct SamplingParameters: Codable, Sendable, Hashable {
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var repeatPenalty: Double?
    /// mlx_lm.server's name for the repeat penalty.
    public var repetitionPenalty: Double?
    public var seed: Seed?
    public var stop: StopSequences?

    public init(
        temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil,
        repeatPenalty: Double? = nil, seed: Seed? = nil, stop: StopSequences? = nil
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.seed = seed
        self.stop = stop
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        temperature = try container.decodeField(Double.self, forKey: .temperature)
        topP = try container.decodeField(Double.self, forKey: .topP)
        topK = try container.decodeField(Int.self, forKey: .topK)
        minP = try container.decodeField(Double.self, forKey: .minP)
        repeatPenalty = try container.decodeField(Double.self, forKey: .repeatPenalty)
        repetitionPenalty = try? container.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
        seed = try container.decodeField(Seed.self, forKey: .seed)
        stop = try container.decodeField(StopSequences.self, forKey: .stop)
    }

    enum CodingKeys: String, CodingKey {
        case temperature, seed, stop
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case repetitionPenalty = "repetition_penalty"
    }
}

/// `seed`: sent as the unsigned 64-bit value it is; read from any 64-bit signed integer (a negative seed is
/// taken by its bit pattern), as OpenAI's API types it.
public struct Seed: Codable, Sendable, Hashable {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        value = UInt64(bitPattern: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
