import Foundation
import Inference
import OpenAIWire

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
    static func completion(prompt: String, options: GenerateOptions, stream: Bool = true,
                           adapter: MLXAdapter? = nil) -> TextCompletionRequest {
        var request = TextCompletionRequest(
            model: adapter?.modelPath, prompt: prompt, sampling: sampling(options), maxTokens: options.maxTokens,
            stream: stream, streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
        request.adapters = adapter?.directory
        return request
    }

    static func chat(messages: [Message], options: GenerateOptions, adapter: MLXAdapter? = nil) -> ChatCompletionRequest {
        var request = ChatCompletionRequest(
            model: adapter?.modelPath, messages: messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) },
            sampling: sampling(options), maxTokens: options.maxTokens,
            stream: true, streamOptions: StreamOptions(includeUsage: true)
        )
        request.adapters = adapter?.directory
        return request
    }

    private static func sampling(_ options: GenerateOptions) -> SamplingParameters {
        var sampling = SamplingParameters(temperature: options.temperature, topP: options.topP, topK: options.topK, minP: options.minP)
        sampling.repetitionPenalty = options.repeatPenalty
        if let seed = options.seed, options.temperature != 0 { sampling.seed = Seed(seed) }
        return sampling
    }
}
