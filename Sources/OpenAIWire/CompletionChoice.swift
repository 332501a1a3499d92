import JSONValues

/// One choice of a reply or stream chunk, in any of OpenAI's shapes: `message` (a chat reply), `delta` (a chat
/// stream chunk) or `text` (a completion). `finish_reason` is always written (`null` until the end).
public struct CompletionChoice: Codable, Sendable, Hashable {
    public var index: Int?
    public var message: ChatMessage?
    public var delta: ChatDelta?
    public var text: String?
    public var finishReason: String?
    /// Log-probabilities, in the shape the server chose (OpenAI's chat and completion shapes differ).
    public var logprobs: JSONValue?

    public init(index: Int? = 0, message: ChatMessage? = nil, delta: ChatDelta? = nil, text: String? = nil, finishReason: String? = nil) {
        self.index = index
        self.message = message
        self.delta = delta
        self.text = text
        self.finishReason = finishReason
    }

    /// The text this choice carries, whatever its shape.
    public var content: String? {
        if let content = delta?.content { return content }
        if case .text(let content)? = message?.content { return content }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try? container.decodeIfPresent(Int.self, forKey: .index)
        message = try? container.decodeIfPresent(ChatMessage.self, forKey: .message)
        delta = try? container.decodeIfPresent(ChatDelta.self, forKey: .delta)
        text = try? container.decodeIfPresent(String.self, forKey: .text)
        finishReason = try? container.decodeIfPresent(String.self, forKey: .finishReason)
        logprobs = try? container.decodeIfPresent(JSONValue.self, forKey: .logprobs)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(index, forKey: .index)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(delta, forKey: .delta)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encode(finishReason, forKey: .finishReason)
        try container.encodeIfPresent(logprobs, forKey: .logprobs)
    }

    enum CodingKeys: String, CodingKey {
        case index, message, delta, text, logprobs
        case finishReason = "finish_reason"
    }
}

/// What a chat stream chunk adds: the role (first chunk) and a piece of content.
public struct ChatDelta: Codable, Sendable, Hashable {
    public var role: String?
    public var content: String?

    public init(role: String? = nil, content: String? = nil) {
        self.role = role
        self.content = content
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try? container.decodeIfPresent(String.self, forKey: .role)
        content = try? container.decodeIfPresent(String.self, forKey: .content)
    }

    enum CodingKeys: String, CodingKey { case role, content }
}
