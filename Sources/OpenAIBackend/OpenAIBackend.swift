import Inference
import ML

/// The string-level ``Backend`` and ``StreamingBackend`` over an OpenAI-compatible server (or a pool of them).
/// ``GenOpts/model`` picks the server-side model per call; otherwise ``defaultModel`` is sent.
public struct OpenAIBackend: StreamingBackend {
    public let client: OpenAIClient
    public let defaultModel: String?
    public let name: String
    public var rawCompletions: Bool

    public init(client: OpenAIClient, defaultModel: String? = nil, name: String = "openai", rawCompletions: Bool = false) {
        self.client = client
        self.defaultModel = defaultModel
        self.name = name
        self.rawCompletions = rawCompletions
    }

    public var isAvailable: Bool { true }
    public var supportsResponseFormat: Bool { true }

    public func generate(_ prompt: String, opts: GenOpts) async throws -> GenerationResult {
        try await adapter(opts).generate(prompt, opts: opts)
    }

    public func chat(_ messages: [Message], opts: GenOpts) async throws -> GenerationResult {
        try await adapter(opts).chat(messages, opts: opts)
    }

    public func generateStream(
        _ prompt: String,
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult {
        try await adapter(opts).generateStream(prompt, opts: opts, onToken: onToken)
    }

    public func chatStream(
        _ messages: [Message],
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult {
        try await adapter(opts).chatStream(messages, opts: opts, onToken: onToken)
    }

    private func adapter(_ opts: GenOpts) -> InferenceAdapter {
        let model = OpenAIModel(client: client, modelName: opts.model ?? defaultModel, rawCompletions: rawCompletions)
        return InferenceAdapter(model: model, name: name, supportsResponseFormat: true)
    }
}
