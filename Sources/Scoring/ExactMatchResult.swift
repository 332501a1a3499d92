/// The GSM8K exact-match verdict for one response.
public struct ExactMatchResult: Sendable, Equatable, Codable {
    /// Whether the extracted number is within 0.01 of the expected answer.
    public var correct: Bool
    /// The raw extracted text (commas kept), or `""` when nothing was extracted.
    public var extracted: String
    /// The expected answer, as given.
    public var expected: String

    /// A verdict with the given fields.
    public init(correct: Bool, extracted: String, expected: String) {
        self.correct = correct
        self.extracted = extracted
        self.expected = expected
    }
}
