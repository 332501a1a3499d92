import JSONValues

/// One message of a chat request or reply: `{"role", "content"}`. `content` is text, an array of parts (of
/// which text models read the `text` ones) or null.
public struct ChatMessage: Codable, Sendable, Hashable {
    public var role: String
    public var content: MessageContent?

    public init(role: String, content: String?) {
        self.role = role
        self.content = content.map(MessageContent.text)
    }

    public init(role: String, content: MessageContent?) {
        self.role = role
        self.content = content
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        content = try container.decodeIfPresent(MessageContent.self, forKey: .content)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        // A reply's content is always present (`null` when there is none), as OpenAI sends it.
        try container.encode(content, forKey: .content)
    }

    private enum CodingKeys: String, CodingKey { case role, content }
}

/// A message's content: a string, or OpenAI's array of typed parts.
public enum MessageContent: Codable, Sendable, Hashable {
    case text(String)
    case parts([ContentPart])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ContentPart].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

/// One part of a multi-part message content: `{"type": "text", "text": …}` or another type (images…).
public struct ContentPart: Codable, Sendable, Hashable {
    public var type: String?
    public var text: String?

    public init(type: String?, text: String?) {
        self.type = type
        self.text = text
    }

    /// Members of the wrong type are read as absent (a part that is not text is the reader's to refuse).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        text = try? container.decodeIfPresent(String.self, forKey: .text)
    }

    enum CodingKeys: String, CodingKey { case type, text }
}
