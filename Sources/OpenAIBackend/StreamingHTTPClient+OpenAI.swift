import HTTPStreaming
import Inference
import OpenAIWire

/// The paths an OpenAI-compatible server generates at.
public enum OpenAIEndpoint: String, Sendable {
    case chatCompletions = "/v1/chat/completions"
    case completions = "/v1/completions"
}

/// The OpenAI API on a ``StreamingHTTPClient``: chat and raw-prompt completions streamed over server-sent events,
/// and the model list.
extension StreamingHTTPClient {
    /// Streams a chat completion.
    public func chat(model: String?, messages: [Message], options: GenerateOptions) -> Generation {
        stream(.chatCompletions, body: OpenAIRequest.chat(model: model, messages: messages, options: options, stream: true))
    }

    /// Streams a raw-prompt completion.
    public func complete(model: String?, prompt: String, options: GenerateOptions) -> Generation {
        stream(.completions, body: OpenAIRequest.completion(model: model, prompt: prompt, options: options, stream: true))
    }

    /// The models the first endpoint serves (`GET /v1/models`).
    public func models() async throws -> [RemoteModel] {
        let list = try await getJSON("/v1/models", as: ModelList.self, what: "model list")
        return list.data.map { RemoteModel(id: $0.id, ownedBy: $0.ownedBy) }
    }

    private func stream(_ endpoint: OpenAIEndpoint, body: some Encodable) -> Generation {
        let maxErrorBytes = configuration.maxErrorMessageBytes
        return streamEvents(path: endpoint.rawValue, body: body) { OpenAIStreamDecoder(maxErrorBytes: maxErrorBytes) }
    }
}
