import Foundation
import Inference
import JSONValues
import OpenAIWire

/// Builds the wire bodies of `/v1/chat/completions` and `/v1/completions`, sending only the parameters that
/// are set (several are llama.cpp extensions other servers ignore: `top_k`, `min_p`, `repeat_penalty`).
public enum OpenAIRequest {
    static func chat(model: String?, messages: [Message], options: GenerateOptions, stream: Bool) -> ChatCompletionRequest {
        ChatCompletionRequest(
            model: model,
            messages: messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) },
            sampling: samplingParameters(options),
            maxTokens: options.maxTokens,
            responseFormat: responseFormat(options.responseFormat),
            stream: stream ? true : nil,
            streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
    }

    static func completion(model: String?, prompt: String, options: GenerateOptions, stream: Bool) -> TextCompletionRequest {
        TextCompletionRequest(
            model: model,
            prompt: prompt,
            sampling: samplingParameters(options),
            maxTokens: options.maxTokens,
            responseFormat: responseFormat(options.responseFormat),
            stream: stream ? true : nil,
            streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
    }

    /// The sampling fields OpenAI-style servers and llama-server's native API name alike: only those set.
    public static func samplingParameters(_ options: GenerateOptions) -> SamplingParameters {
        SamplingParameters(
            temperature: options.temperature,
            topP: options.topP,
            topK: options.topK,
            minP: options.minP,
            repeatPenalty: options.repeatPenalty,
            seed: options.seed.map(Seed.init),
            stop: options.stop.isEmpty ? nil : StopSequences(options.stop)
        )
    }

    /// `response_format` for a requested output format (a schema that is not valid JSON is sent as `{}`).
    public static func responseFormat(_ format: Inference.ResponseFormat?) -> OpenAIWire.ResponseFormat? {
        switch format {
        case .none: return nil
        case .jsonObject: return .jsonObject
        case .jsonSchema(let name, let schema): return .jsonSchema(name: name, schema: JSONValue.parse(schema) ?? .object([:]))
        }
    }

    /// The body's JSON (keys sorted, so requests are byte-stable).
    public static func encode(_ body: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data("{}".utf8)
    }
}
