/// Long model output cut for a message or a record.
enum TextTruncation {
    /// `text` cut to at most `limit` characters, with a marker when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…[truncated]"
    }
}
