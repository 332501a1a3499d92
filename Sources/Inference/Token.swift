/// One unit of generated text.
///
/// `id` is the model's vocabulary id when the backend knows it, and `nil` when it does not
/// (an OpenAI-style server streams text deltas without ids): ids are never invented.
public struct Token: Sendable, Hashable, Codable {
    /// The vocabulary id, or `nil` when the backend cannot tell.
    public var id: Int?
    /// The token's text (may be a fragment of a multi-token character sequence, or empty).
    public var text: String

    public init(id: Int? = nil, text: String) {
        self.id = id
        self.text = text
    }
}
