import JSONValues

/// The body of `POST /v1/chat/completions`: the messages and the ``CompletionOptions`` (read as its own members).
public struct ChatCompletionRequest: CompletionRequestBody, Codable, Sendable, Hashable {
    public var messages: [ChatMessage]
    public var shared: CompletionOptions

    public init(
        model: String?, messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(), maxTokens: Int? = nil,
        responseFormat: ResponseFormat? = nil, stream: Bool? = nil, streamOptions: StreamOptions? = nil
    ) {
        self.messages = messages
        shared = CompletionOptions(
            model: model, sampling: sampling, maxTokens: maxTokens, responseFormat: responseFormat, stream: stream,
            streamOptions: streamOptions)
    }

    /// `messages` first, then the shared fields: a body with several bad fields names the same one as before.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RequestCodingKeys.self)
        messages = try container.decodeField([ChatMessage].self, forKey: .messages) ?? []
        shared = try CompletionOptions(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RequestCodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try shared.encode(to: encoder)
    }
}

/// The body of `POST /v1/completions` (a raw prompt: one string, or an array of exactly one) and the
/// ``CompletionOptions`` (read as its own members).
public struct TextCompletionRequest: CompletionRequestBody, Codable, Sendable, Hashable {
    public var prompt: Prompt
    /// A count of log-probabilities (OpenAI), or `true` with ``topLogprobs`` (mlx_lm.server).
    public var logprobs: JSONValue?
    public var topLogprobs: Int?
    public var shared: CompletionOptions

    public init(
        model: String?, prompt: String, sampling: SamplingParameters = SamplingParameters(), maxTokens: Int? = nil,
        logprobs: JSONValue? = nil, responseFormat: ResponseFormat? = nil, stream: Bool? = nil, streamOptions: StreamOptions? = nil
    ) {
        self.prompt = .text(prompt)
        self.logprobs = logprobs
        shared = CompletionOptions(
            model: model, sampling: sampling, maxTokens: maxTokens, responseFormat: responseFormat, stream: stream,
            streamOptions: streamOptions)
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

    /// `prompt` first, then the shared fields: a body with several bad fields names the same one as before.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RequestCodingKeys.self)
        prompt = try container.decodeField(Prompt.self, forKey: .prompt) ?? .texts([])
        logprobs = try? container.decodeIfPresent(JSONValue.self, forKey: .logprobs)
        topLogprobs = try? container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        shared = try CompletionOptions(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RequestCodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encodeIfPresent(logprobs, forKey: .logprobs)
        try container.encodeIfPresent(topLogprobs, forKey: .topLogprobs)
        try shared.encode(to: encoder)
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
