/// A model family as checkpoint directory names spell it: a name prefix, the model tag it means, and a short label.
package struct ModelFamily: Sendable, Hashable, Codable {
    /// What a checkpoint's name (its directory, without a leading `adapters-`) starts with.
    package var prefix: String
    /// The model tag recorded with scores, e.g. `gemma-3-27b`.
    package var tag: String
    /// The short label, e.g. `G27`.
    package var short: String

    package init(prefix: String, tag: String, short: String) {
        self.prefix = prefix
        self.tag = tag
        self.short = short
    }
}
