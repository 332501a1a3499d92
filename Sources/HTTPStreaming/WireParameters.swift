import Inference
import JSONValues
import OpenAIWire

/// ``GenerateOptions`` as the wire fields OpenAI-compatible servers and llama-server's native API share.
public enum WireParameters {
    /// The sampling fields OpenAI-style servers and llama-server's native API name alike: only those set.
    public static func sampling(_ options: GenerateOptions) -> SamplingParameters {
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
}
