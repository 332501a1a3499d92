/// What `ml generate --json` prints: one object, keys sorted (absent values left out).
struct GenerateJSON: Encodable {
    struct Stream: Encodable {
        var tokens: Int
        var firstTokenSeconds: Double?
        var tokensPerSecond: Double?

        enum CodingKeys: String, CodingKey {
            case tokens, firstTokenSeconds = "first_token_seconds", tokensPerSecond = "tokens_per_second"
        }
    }

    struct Metrics: Encodable {
        var promptTokens: Int
        var generatedTokens: Int
        var totalSeconds: Double
        var tokensPerSecond: Double
        var prefillSeconds: Double?
        var decodeSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", generatedTokens = "generated_tokens", totalSeconds = "total_seconds"
            case tokensPerSecond = "tokens_per_second", prefillSeconds = "prefill_seconds", decodeSeconds = "decode_seconds"
        }
    }

    var text: String
    var finishReason: String
    var stream: Stream
    var metrics: Metrics?

    enum CodingKeys: String, CodingKey {
        case text, finishReason = "finish_reason", stream, metrics
    }
}
