/// A reply of `/v1/chat/completions` or `/v1/completions`, whole (`chat.completion`, `text_completion`) or one
/// stream chunk (`chat.completion.chunk`): choices, and on the last one `usage` and llama.cpp's `timings`.
/// A server may put an `error` object in place of all this (inside a stream, or as a 200 reply).
public struct CompletionResponse: Codable, Sendable, Hashable {
    public var id: String?
    public var object: String?
    public var created: Int?
    public var model: String?
    public var choices: [CompletionChoice]
    public var usage: Usage?
    public var timings: Timings?
    public var error: ErrorDetail?

    public init(
        id: String?, object: String?, created: Int?, model: String?, choices: [CompletionChoice], usage: Usage? = nil
    ) {
        self.id = id
        self.object = object
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    /// Lenient, as a client must be: a member of the wrong type is read as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try? container.decodeIfPresent(String.self, forKey: .id)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        created = try? container.decodeIfPresent(Int.self, forKey: .created)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        choices = (try? container.decodeIfPresent([CompletionChoice].self, forKey: .choices)) ?? []
        usage = try? container.decodeIfPresent(Usage.self, forKey: .usage)
        timings = try? container.decodeIfPresent(Timings.self, forKey: .timings)
        error = try? container.decodeIfPresent(ErrorDetail.self, forKey: .error)
    }

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage, timings, error }
}

/// Token counts of a reply.
public struct Usage: Codable, Sendable, Hashable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = promptTokens + completionTokens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = container.lenientInt(.promptTokens)
        completionTokens = container.lenientInt(.completionTokens)
        totalTokens = container.lenientInt(.totalTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }
}

/// llama.cpp's `timings` on a reply's last chunk: prompt and generation times (ms) and token counts.
/// `prompt_n` counts only the tokens not served from the prompt cache.
public struct Timings: Codable, Sendable, Hashable {
    public var promptN: Int?
    public var promptMs: Double?
    public var predictedN: Int?
    public var predictedMs: Double?

    public init(promptN: Int? = nil, promptMs: Double? = nil, predictedN: Int? = nil, predictedMs: Double? = nil) {
        self.promptN = promptN
        self.promptMs = promptMs
        self.predictedN = predictedN
        self.predictedMs = predictedMs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptN = container.lenientInt(.promptN)
        promptMs = try? container.decodeIfPresent(Double.self, forKey: .promptMs)
        predictedN = container.lenientInt(.predictedN)
        predictedMs = try? container.decodeIfPresent(Double.self, forKey: .predictedMs)
    }

    enum CodingKeys: String, CodingKey {
        case promptN = "prompt_n"
        case promptMs = "prompt_ms"
        case predictedN = "predicted_n"
        case predictedMs = "predicted_ms"
    }
}

extension KeyedDecodingContainer {
    /// A count as servers send it: an integer, a whole double or a numeric string.
    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), let int = Int(exactly: value.rounded(.towardZero)) { return int }
        if let value = try? decodeIfPresent(String.self, forKey: key) { return Int(value) }
        return nil
    }
}
