/// The fields chat and text completion requests share (model, sampling, token limits, format, streaming), read from
/// and written to the request's own JSON object. Both request types expose them as their own members
/// (`request.maxTokens`) through ``CompletionRequestBody``.
public struct CompletionOptions: Codable, Sendable, Hashable {
    public var model: String?
    public var sampling: SamplingParameters
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var n: Int?
    public var responseFormat: ResponseFormat?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    /// mlx_lm.server's per-request LoRA adapter directory (sent when set; other servers ignore it, and so do we).
    public var adapters: String?

    public init(
        model: String? = nil, sampling: SamplingParameters = SamplingParameters(), maxTokens: Int? = nil,
        responseFormat: ResponseFormat? = nil, stream: Bool? = nil, streamOptions: StreamOptions? = nil
    ) {
        self.model = model
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

/// A completion request body: its ``CompletionOptions`` read as its own members (`request.stream = true`).
@dynamicMemberLookup
public protocol CompletionRequestBody {
    var shared: CompletionOptions { get set }
}

extension CompletionRequestBody {
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<CompletionOptions, T>) -> T {
        get { shared[keyPath: keyPath] }
        set { shared[keyPath: keyPath] = newValue }
    }
}
