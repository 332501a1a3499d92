/// A model family as checkpoint directory names spell it: a name prefix, the model tag it means, and a short label.
public struct ModelFamily: Sendable, Hashable, Codable {
    /// What a checkpoint's name (its directory, without a leading `adapters-`) starts with.
    public var prefix: String
    /// The model tag recorded with scores, e.g. `gemma-3-27b`.
    public var tag: String
    /// The short label, e.g. `G27`.
    public var short: String

    public init(prefix: String, tag: String, short: String) {
        self.prefix = prefix
        self.tag = tag
        self.short = short
    }
}
