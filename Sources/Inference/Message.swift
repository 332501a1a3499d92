/// One turn of a chat conversation. Encodes as `{"role": ..., "content": ...}`.
public struct Message: Sendable, Hashable, Codable {
    /// The author of a message.
    public struct Role: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        public static let system: Role = "system"
        public static let user: Role = "user"
        public static let assistant: Role = "assistant"
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> Message { Message(role: .system, content: content) }
    public static func user(_ content: String) -> Message { Message(role: .user, content: content) }
    public static func assistant(_ content: String) -> Message { Message(role: .assistant, content: content) }
}
