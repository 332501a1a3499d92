import Testing

/// An input text, the sub-score the spec implies for it, and why.
struct ScoreCase: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: Int
    let why: String

    init(_ text: String, _ expected: Int, _ why: String) {
        self.text = text
        self.expected = expected
        self.why = why
    }

    var testDescription: String { why }
}
