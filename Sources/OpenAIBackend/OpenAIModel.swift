import HTTPStreaming
import Inference
import MLErrors
import OpenAIWire
import Synchronization

/// One model on an OpenAI-compatible server, as a ``TextModel``.
///
/// `generate` sends the prompt as one user message to `/v1/chat/completions` (as the reference did), or to
/// `/v1/completions` as a raw prompt when ``rawCompletions`` is set. Tokens carry no ids: the API does not
/// give them.
public final class OpenAIModel: TextModel {
    public let client: StreamingHTTPClient
    /// The model name sent with each request (`nil` lets the server choose).
    public let modelName: String?
    /// Send `generate` prompts to `/v1/completions` instead of as a chat message.
    public let rawCompletions: Bool
    private let ownsClient: Bool
    private let closed = Mutex(false)

    public init(client: StreamingHTTPClient, modelName: String?, rawCompletions: Bool = false, ownsClient: Bool = false) {
        self.client = client
        self.modelName = modelName
        self.rawCompletions = rawCompletions
        self.ownsClient = ownsClient
    }

    public var modelType: String { "openai" }

    public var info: ModelInfo { ModelInfo(id: modelName ?? client.pool.baseURLs.first.map(URLRedaction.printable) ?? "openai") }

    public var capacity: Int { client.pool.baseURLs.count * client.pool.limitPerEndpoint }

    public func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        if closed.withLock({ $0 }) { return .failed(InferenceError(.closed, "the model is closed")) }
        if rawCompletions { return client.complete(model: modelName, prompt: prompt, options: options) }
        return client.chat(model: modelName, messages: [.user(prompt)], options: options)
    }

    public func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        if closed.withLock({ $0 }) { return .failed(InferenceError(.closed, "the model is closed")) }
        return client.chat(model: modelName, messages: messages, options: options)
    }

    public func close() async {
        let wasClosed = closed.withLock { state -> Bool in
            defer { state = true }
            return state
        }
        if !wasClosed && ownsClient { await client.shutdown() }
    }
}
