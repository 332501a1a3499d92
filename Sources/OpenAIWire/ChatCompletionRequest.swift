import JSONValues

/// The body of `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Codable, Sendable, Hashable {
    public var model: String?
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var n: Int?
    public var responseFormat: ResponseFormat?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    /// mlx_lm.server's per-request LoRA adapter directory (sent when set; other servers ignore it).
    public var adapters: String?

    public init(
        model: String?, messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(), maxTokens: Int? = nil,
        responseFormat: ResponseFormat? = nil, stream: Bool? = nil, streamOptions: StreamOptions? = nil
    ) {
        self.model = model
        self.messages = messages
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.stream = stream
        self.streamOptions = streamOptions
    }

    /// Fields of the wrong type fail with their coding path, except `model`, `stream`, `stream_options` and
    /// `response_format`, which are read as absent (servers commonly ignore what they cannot use there).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RequestCodingKeys.self)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decodeField([ChatMessage].self, forKey: .messages) ?? []
        sampling = try SamplingParameters(from: decoder)
        maxTokens = try container.decodeField(Int.self, forKey: .maxTokens)
        maxCompletionTokens = try container.decodeField(Int.self, forKey: .maxCompletionTokens)
        n = try container.decodeField(Int.self, forKey: .n)
        responseFormat = try? container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        stream = try? container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try? container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RequestCodingKeys.self)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(messages, forKey: .messages)
        try sampling.encode(to: encoder)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
        try container.encodeIfPresent(n, forKey: .n)
        try container.encodeIfPresent(responseFormat, forKey: .responseFormat)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try container.encodeIfPresent(adapters, forKey: .adapters)
    }
}

/// The body of `POST /v1/completions` (a raw prompt: one string, or an array of exactly one).
public struct TextCompletionRequest: Codable, Sendable, Hashable {
    public var model: String?
    public var prompt: Prompt
    public var sampling: SamplingParameters
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var n: Int?
    /// A count of log-probabilities (OpenAI), or `true` with ``topLogprobs`` (mlx_lm.server).
    public var logprobs: JSONValue?
    public var topLogprobs: Int?
    public var responseFormat: ResponseFormat?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    /// mlx_lm.server's per-request LoRA adapter directory (sent when set; other servers ignore it).
    public var adapters: String?

    public init(
        model: String?, prompt: String, sampling: SamplingParameters = SamplingParameters(), maxTokens: Int? = nil,
        logprobs: JSONValue? = nil, responseFormat: ResponseFormat? = nil, stream: Bool? = nil, streamOptions: StreamOptions? = nil
    ) {
        self.model = model
        self.prompt = .text(prompt)
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.logprobs = logprobs
        self.responseFormat = responseFormat
        self.stream = stream
        self.streamOptions = streamOptions
    }

    /// `prompt`: a string, or an array of strings.
    public enum Prompt: Codable, Sendable, Hashable {
        case text(String)
        case texts([String])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .texts(try container.decode([String].self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .texts(let texts): try container.encode(texts)
            }
        }
    }

    /// Fields of the wrong type fail with their coding path, except `model`, `stream`, `stream_options` and
    /// `response_format`, which are read as absent (servers commonly ignore what they cannot use there).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RequestCodingKeys.self)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        prompt = try container.decodeField(Prompt.self, forKey: .prompt) ?? .texts([])
        sampling = try SamplingParameters(from: decoder)
        maxTokens = try container.decodeField(Int.self, forKey: .maxTokens)
        maxCompletionTokens = try container.decodeField(Int.self, forKey: .maxCompletionTokens)
        n = try container.decodeField(Int.self, forKey: .n)
        logprobs = try? container.decodeIfPresent(JSONValue.self, forKey: .logprobs)
        topLogprobs = try? container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        responseFormat = try? container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        stream = try? container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try? container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RequestCodingKeys.self)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(prompt, forKey: .prompt)
        try sampling.encode(to: encoder)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
        try container.encodeIfPresent(n, forKey: .n)
        try container.encodeIfPresent(logprobs, forKey: .logprobs)
        try container.encodeIfPresent(topLogprobs, forKey: .topLogprobs)
        try container.encodeIfPresent(responseFormat, forKey: .responseFormat)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try container.encodeIfPresent(adapters, forKey: .adapters)
    }
}

/// The keys of the request bodies besides the sampling fields (which ``SamplingParameters`` reads from the same
/// object).
enum RequestCodingKeys: String, CodingKey {
    case model, messages, prompt, n, logprobs, stream, adapters
    case maxTokens = "max_tokens"
    case topLogprobs = "top_logprobs"
    case maxCompletionTokens = "max_completion_tokens"
    case responseFormat = "response_format"
    case streamOptions = "stream_options"
}
