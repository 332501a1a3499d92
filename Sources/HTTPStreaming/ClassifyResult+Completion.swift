import Inference
import OpenAIWire

extension ClassifyResult {
    /// The first token and its top log-probabilities from a non-streamed completion reply (OpenAI's shapes:
    /// `logprobs.content[0].top_logprobs` as a list, or `logprobs.top_logprobs[0]` as a token → logprob map).
    public init(completion reply: CompletionResponse) throws {
        guard let choice = reply.choices.first, choice.content != nil || choice.finishReason != nil || choice.logprobs != nil else {
            throw InferenceError(.invalidReply, "the completion reply has no completion: no choice with text, a finish reason or log-probabilities")
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
        self.init(token: Token(text: text), logprobs: logprobs)
    }
}
