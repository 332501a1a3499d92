/// Measurements of one generation. Durations are in seconds; unknown values are `nil`.
public struct GenerateMetrics: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var generatedTokens: Int
    /// Time to process the prompt.
    public var prefillDuration: Double?
    /// Time spent generating tokens after the prompt.
    public var decodeDuration: Double?
    /// Wall time from request to last token.
    public var totalDuration: Double
    /// Peak and active memory in bytes, where the backend reports them.
    public var peakMemoryBytes: Int?
    public var activeMemoryBytes: Int?

    public init(
        promptTokens: Int = 0,
        generatedTokens: Int = 0,
        prefillDuration: Double? = nil,
        decodeDuration: Double? = nil,
        totalDuration: Double = 0,
        peakMemoryBytes: Int? = nil,
        activeMemoryBytes: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.prefillDuration = prefillDuration
        self.decodeDuration = decodeDuration
        self.totalDuration = totalDuration
        self.peakMemoryBytes = peakMemoryBytes
        self.activeMemoryBytes = activeMemoryBytes
    }

    /// Decode speed: generated tokens per second of decode time (or of total time when decode time is unknown).
    public var tokensPerSecond: Double {
        let seconds = decodeDuration ?? totalDuration
        return seconds > 0 ? Double(generatedTokens) / seconds : 0
    }

    /// Prompt processing speed in tokens per second, when the prefill time is known.
    public var prefillTokensPerSecond: Double? {
        guard let prefillDuration, prefillDuration > 0 else { return nil }
        return Double(promptTokens) / prefillDuration
    }
}
