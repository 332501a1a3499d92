/// An input (a line of a file, a field of a row) as an error message quotes it: whole when short, else its first
/// ``limit`` characters and its size — a 10 MB line must not be echoed whole to a terminal or a log.
public enum InputExcerpt {
    /// Characters of an input kept in a message.
    public static let limit = 200

    /// `text` itself up to `limit` characters, else its first `limit` characters + `… (N bytes)`.
    public static func of(_ text: some StringProtocol, limit: Int = InputExcerpt.limit) -> String {
        var end = text.startIndex
        var kept = 0
        while end < text.endIndex, kept < limit {
            end = text.index(after: end)
            kept += 1
        }
        guard end < text.endIndex else { return String(text) }
        return String(text[..<end]) + "… (\(text.utf8.count) bytes)"
    }
}
