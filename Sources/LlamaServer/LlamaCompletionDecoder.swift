import Foundation
import Inference
import OpenAIBackend

/// Decodes the event stream of llama-server's native `POST /completion`: one event per predicted token with
/// its real token id, and a final event (`"stop": true`) carrying the stop type and `timings`.
struct LlamaCompletionDecoder: EventStreamDecoder {
    private(set) var finishReason: FinishReason?
    private var promptTokens: Int?
    private var predicted: Int?
    private var prefillSeconds: Double?
    private var decodeSeconds: Double?

    mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] else {
            throw InferenceError(.serverError, "malformed llama-server event: \(event.data.prefix(200))")
        }
        return try handle(object, sink: sink)
    }

    mutating func handle(_ object: [String: Any], sink: GenerationSink?) throws -> Bool {
        if let error = object["error"] {
            let message = (error as? [String: Any])?["message"] as? String ?? "\(error)"
            throw InferenceError(.serverError, message, status: (error as? [String: Any])?["code"] as? Int)
        }
        let content = object["content"] as? String ?? ""
        let ids = object["tokens"] as? [Int] ?? []
        if !content.isEmpty || !ids.isEmpty {
            // One event per sampled token; when the server merges bytes of several tokens into one piece of
            // text, no single id describes it, so none is given.
            try sink?.yield(Token(id: ids.count == 1 ? ids[0] : nil, text: content))
        }
        guard object["stop"] as? Bool == true else { return false }
        switch object["stop_type"] as? String {
        case "limit": finishReason = .length
        default: finishReason = .stop
        }
        promptTokens = object["tokens_evaluated"] as? Int
        predicted = object["tokens_predicted"] as? Int
        if let timings = object["timings"] as? [String: Any] {
            if let ms = timings["prompt_ms"] as? Double { prefillSeconds = ms / 1000 }
            if let ms = timings["predicted_ms"] as? Double { decodeSeconds = ms / 1000 }
            // `prompt_n` counts only tokens not served from the prompt cache; `tokens_evaluated` is the whole prompt.
            promptTokens = promptTokens ?? timings["prompt_n"] as? Int
            predicted = timings["predicted_n"] as? Int ?? predicted
        }
        return true
    }

    func outcome(delivered: Int, totalSeconds: Double, source: String) throws -> GenerationOutcome {
        guard let finishReason else {
            throw InferenceError(.truncated, "the stream from llama-server at \(source) ended before its final event")
        }
        return GenerationOutcome(
            finishReason: finishReason,
            metrics: GenerateMetrics(
                promptTokens: promptTokens ?? 0,
                generatedTokens: predicted ?? delivered,
                prefillDuration: prefillSeconds,
                decodeDuration: decodeSeconds,
                totalDuration: totalSeconds
            )
        )
    }
}

/// The JSON body of a native `/completion` request: only what is set.
enum LlamaCompletionRequest {
    /// `adapterScales`, when given, is the scale of each loaded LoRA adapter (by load order) for this request only:
    /// llama-server's per-request `lora` list, in which an adapter left out would get 0 anyway. `cachePrompt` false
    /// makes the server evaluate the whole prompt again rather than reuse a slot's cached prefix.
    static func body(prompt: String, options: GenerateOptions, stream: Bool, adapterScales: [Double]? = nil,
                     cachePrompt: Bool = true) -> [String: Any] {
        var body = OpenAIRequest.samplingParameters(options)
        if let adapterScales {
            body["lora"] = adapterScales.enumerated().map { ["id": $0.offset, "scale": $0.element] as [String: Any] }
        }
        body["prompt"] = prompt
        body["stream"] = stream
        body["return_tokens"] = true
        body["cache_prompt"] = cachePrompt
        body["n_predict"] = options.maxTokens ?? -1
        switch options.responseFormat {
        case .none: break
        case .jsonObject: body["json_schema"] = ["type": "object"]
        case .jsonSchema(_, let schema):
            body["json_schema"] = (try? JSONSerialization.jsonObject(with: Data(schema.utf8))) ?? ["type": "object"]
        }
        return body
    }
}
