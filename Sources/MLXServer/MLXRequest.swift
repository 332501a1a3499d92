import Foundation
import Inference
import OpenAIWire

/// The JSON bodies sent to mlx_lm.server, shaped around its quirks:
/// - no `stop`: the server does not stop on strings off token boundaries (``MLXStreamDecoder`` enforces stops);
/// - `stream_options.include_usage`: the only way the stream reports token counts;
/// - no `seed` when sampling is greedy (temperature 0): it changes nothing there, and a request with a seed is
///   never batched with others, so concurrent greedy requests would run one at a time;
/// - `repetition_penalty` is the server's name for the repeat penalty.
enum MLXRequest {
    static func completion(prompt: String, options: GenerateOptions, stream: Bool = true) -> TextCompletionRequest {
        TextCompletionRequest(
            model: nil, prompt: prompt, sampling: sampling(options), maxTokens: options.maxTokens,
            stream: stream, streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
    }

    static func chat(messages: [Message], options: GenerateOptions) -> ChatCompletionRequest {
        ChatCompletionRequest(
            model: nil, messages: messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) },
            sampling: sampling(options), maxTokens: options.maxTokens,
            stream: true, streamOptions: StreamOptions(includeUsage: true)
        )
    }

    private static func sampling(_ options: GenerateOptions) -> SamplingParameters {
        var sampling = SamplingParameters(temperature: options.temperature, topP: options.topP, topK: options.topK, minP: options.minP)
        sampling.repetitionPenalty = options.repeatPenalty
        if let seed = options.seed, options.temperature != 0 { sampling.seed = Seed(seed) }
        return sampling
    }
}
