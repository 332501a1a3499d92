/// A whole generation: its text, why it ended and what it measured.
public struct GenerationResult: Sendable {
    public var text: String
    public var finishReason: FinishReason
    public var metrics: GenerateMetrics?

    public init(text: String, finishReason: FinishReason = .stop, metrics: GenerateMetrics? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.metrics = metrics
    }
}

/// A generation that failed after producing some text: the caller gets both the text and the cause.
public struct GenerationFailure: Error, Sendable, CustomStringConvertible {
    /// The text produced before the failure (possibly empty).
    public var partialText: String
    /// Why it failed.
    public var underlying: any Error

    public init(partialText: String, underlying: any Error) {
        self.partialText = partialText
        self.underlying = underlying
    }

    public var description: String {
        "generation failed after \(partialText.utf8.count) bytes of output: \(underlying)"
    }
}
