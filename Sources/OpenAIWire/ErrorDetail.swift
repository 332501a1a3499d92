import JSONValues

/// An error body: `{"error": {"message", "type", "code"}}`.
public struct ErrorResponse: Codable, Sendable, Hashable {
    public var error: ErrorDetail

    public init(error: ErrorDetail) { self.error = error }
}

/// The `error` object of an error body or stream event. Servers differ: `code` is a string (OpenAI) or a status
/// number (llama.cpp), and some send a bare string; the parts that are missing stay `nil`.
public struct ErrorDetail: Codable, Sendable, Hashable {
    public var message: String?
    public var type: String?
    public var code: JSONValue?

    public init(message: String, type: String, code: String?) {
        self.message = message
        self.type = type
        self.code = code.map(JSONValue.string) ?? .null
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            message = text
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        code = try? container.decodeIfPresent(JSONValue.self, forKey: .code)
        if message == nil, let inner = try? container.decodeIfPresent(ErrorDetail.self, forKey: .error) { self = inner }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encodeIfPresent(code, forKey: .code)
    }

    /// `code` as an HTTP status, when the server sent a number.
    public var status: Int? {
        if case .number(let value)? = code { return Int(exactly: value) }
        return nil
    }

    enum CodingKeys: String, CodingKey { case message, type, code, error }
}
