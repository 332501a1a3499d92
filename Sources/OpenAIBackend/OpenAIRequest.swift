import HTTPStreaming
import Inference
import OpenAIWire

/// Builds the wire bodies of `/v1/chat/completions` and `/v1/completions`, sending only the parameters that
/// are set (several are llama.cpp extensions other servers ignore: `top_k`, `min_p`, `repeat_penalty`).
public enum OpenAIRequest {
    static func chat(model: String?, messages: [Message], options: GenerateOptions, stream: Bool) -> ChatCompletionRequest {
        ChatCompletionRequest(
            model: model,
            messages: messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) },
            sampling: WireParameters.sampling(options),
            maxTokens: options.maxTokens,
            responseFormat: WireParameters.responseFormat(options.responseFormat),
            stream: stream ? true : nil,
            streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
    }

    static func completion(model: String?, prompt: String, options: GenerateOptions, stream: Bool) -> TextCompletionRequest {
        TextCompletionRequest(
            model: model,
            prompt: prompt,
            sampling: WireParameters.sampling(options),
            maxTokens: options.maxTokens,
            responseFormat: WireParameters.responseFormat(options.responseFormat),
            stream: stream ? true : nil,
            streamOptions: stream ? StreamOptions(includeUsage: true) : nil
        )
    }
}
