import Foundation
import Inference

/// Builds the JSON bodies of `/v1/chat/completions` and `/v1/completions`, sending only the parameters that
/// are set (several are llama.cpp extensions other servers ignore: `top_k`, `min_p`, `repeat_penalty`).
public enum OpenAIRequest {
    static func chat(model: String?, messages: [Message], options: GenerateOptions, stream: Bool) -> [String: Any] {
        var body = common(model: model, options: options, stream: stream)
        body["messages"] = messages.map { ["role": $0.role.rawValue, "content": $0.content] }
        return body
    }

    static func completion(model: String?, prompt: String, options: GenerateOptions, stream: Bool) -> [String: Any] {
        var body = common(model: model, options: options, stream: stream)
        body["prompt"] = prompt
        return body
    }

    /// The sampling fields OpenAI-style servers and llama-server's native API name alike: only those set.
    public static func samplingParameters(_ options: GenerateOptions) -> [String: Any] {
        var body: [String: Any] = [:]
        if let value = options.temperature { body["temperature"] = value }
        if let value = options.topP { body["top_p"] = value }
        if let value = options.topK { body["top_k"] = value }
        if let value = options.minP { body["min_p"] = value }
        if !options.stop.isEmpty { body["stop"] = options.stop }
        if let value = options.seed { body["seed"] = value }
        if let value = options.repeatPenalty { body["repeat_penalty"] = value }
        return body
    }

    private static func common(model: String?, options: GenerateOptions, stream: Bool) -> [String: Any] {
        var body = samplingParameters(options)
        if let model { body["model"] = model }
        if let value = options.maxTokens { body["max_tokens"] = value }
        switch options.responseFormat {
        case .none: break
        case .jsonObject: body["response_format"] = ["type": "json_object"]
        case .jsonSchema(let name, let schema):
            let schemaObject = (try? JSONSerialization.jsonObject(with: Data(schema.utf8))) ?? [:]
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": name, "schema": schemaObject, "strict": true] as [String: Any],
            ]
        }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return body
    }

    static func encode(_ body: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
