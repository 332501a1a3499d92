import Foundation
import Inference

/// The JSON bodies sent to mlx_lm.server, shaped around its quirks:
/// - no `stop`: the server does not stop on strings off token boundaries (``MLXStreamDecoder`` enforces stops);
/// - `stream_options.include_usage`: the only way the stream reports token counts;
/// - no `seed` when sampling is greedy (temperature 0): it changes nothing there, and a request with a seed is
///   never batched with others, so concurrent greedy requests would run one at a time;
/// - `repetition_penalty` is the server's name for the repeat penalty;
/// - a LoRA adapter per request (``MLXAdapter``) is `adapters` beside `model` set to the model's own path: for the
///   model name `default_model` (what a request without `model` means) the server takes the adapter of its command
///   line, ignoring the request's.
enum MLXRequest {
    static func completion(prompt: String, options: GenerateOptions, adapter: MLXAdapter? = nil) -> [String: Any] {
        var body = common(options, adapter: adapter)
        body["prompt"] = prompt
        return body
    }

    static func chat(messages: [Message], options: GenerateOptions, adapter: MLXAdapter? = nil) -> [String: Any] {
        var body = common(options, adapter: adapter)
        body["messages"] = messages.map { ["role": $0.role.rawValue, "content": $0.content] }
        return body
    }

    private static func common(_ options: GenerateOptions, adapter: MLXAdapter?) -> [String: Any] {
        var body: [String: Any] = ["stream": true, "stream_options": ["include_usage": true]]
        if let adapter {
            body["model"] = adapter.modelPath
            body["adapters"] = adapter.directory
        }
        if let value = options.maxTokens { body["max_tokens"] = value }
        if let value = options.temperature { body["temperature"] = value }
        if let value = options.topP { body["top_p"] = value }
        if let value = options.topK { body["top_k"] = value }
        if let value = options.minP { body["min_p"] = value }
        if let value = options.repeatPenalty { body["repetition_penalty"] = value }
        if let seed = options.seed, options.temperature != 0 { body["seed"] = seed }
        return body
    }
}
