import AsyncHTTPClient
import Foundation
import Inference
import JSONValues
import NIOCore
import OpenAIWire
import Synchronization

/// One model on an OpenAI-compatible server, as a ``TextModel``.
///
/// `generate` sends the prompt as one user message to `/v1/chat/completions` (as the reference did), or to
/// `/v1/completions` as a raw prompt when ``rawCompletions`` is set. Tokens carry no ids: the API does not
/// give them.
public final class OpenAIModel: TextModel {
    public let client: OpenAIClient
    /// The model name sent with each request (`nil` lets the server choose).
    public let modelName: String?
    /// Send `generate` prompts to `/v1/completions` instead of as a chat message.
    public let rawCompletions: Bool
    private let ownsClient: Bool
    private let closed = Mutex(false)

    public init(client: OpenAIClient, modelName: String?, rawCompletions: Bool = false, ownsClient: Bool = false) {
        self.client = client
        self.modelName = modelName
        self.rawCompletions = rawCompletions
        self.ownsClient = ownsClient
    }

    public var modelType: String { "openai" }

    public var info: ModelInfo { ModelInfo(id: modelName ?? client.pool.baseURLs.first ?? "openai") }

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

    /// One token per prompt from `/v1/completions` with `max_tokens: 1`, and its top log-probabilities.
    public func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult] {
        var results: [ClassifyResult] = []
        for prompt in prompts {
            var body = OpenAIRequest.completion(
                model: modelName,
                prompt: prompt,
                options: GenerateOptions(maxTokens: 1, temperature: options.temperature),
                stream: false
            )
            if options.topLogprobs > 0 { body.logprobs = .int(options.topLogprobs) }
            let reply = try await client.postJSON(OpenAIClient.Endpoint.completions.rawValue, body: body, as: CompletionResponse.self)
            results.append(try Self.classifyResult(reply))
        }
        return results
    }

    /// The first token and its top log-probabilities from a non-streamed completion reply (OpenAI's shapes:
    /// `logprobs.content[0].top_logprobs` as a list, or `logprobs.top_logprobs[0]` as a token → logprob map).
    public static func classifyResult(_ reply: CompletionResponse) throws -> ClassifyResult {
        guard let choice = reply.choices.first else {
            throw InferenceError(.serverError, "the completion reply has no choices")
        }
        let text = choice.text ?? ""
        var logprobs: [TokenLogprob]?
        if let info = choice.logprobs {
            if let top = info["content"]?.arrayValue?.first?["top_logprobs"]?.arrayValue {
                logprobs = top.compactMap { entry in
                    guard let token = entry["token"]?.stringValue, let value = entry["logprob"]?.doubleValue else { return nil }
                    return TokenLogprob(token: Token(id: entry["id"]?.intValue, text: token), logprob: value)
                }
            } else if let top = info["top_logprobs"]?.arrayValue?.first?.objectValue {
                logprobs = top.compactMap { key, value in
                    value.doubleValue.map { TokenLogprob(token: Token(text: key), logprob: $0) }
                }.sorted { $0.logprob > $1.logprob }
            }
        }
        return ClassifyResult(token: Token(text: text), logprobs: logprobs)
    }

    public func close() async {
        let wasClosed = closed.withLock { state -> Bool in
            defer { state = true }
            return state
        }
        if !wasClosed && ownsClient { await client.shutdown() }
    }
}
