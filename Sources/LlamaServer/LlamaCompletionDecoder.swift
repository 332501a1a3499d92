import Foundation
import HTTPStreaming
import Inference
import JSONValues
import OpenAIWire

/// Decodes the event stream of llama-server's native `POST /completion`: one event per predicted token with
/// its real token id, and a final event (`"stop": true`) carrying the stop type and `timings`.
struct LlamaCompletionDecoder: EventStreamDecoder {
    private(set) var finishReason: FinishReason?
    private var promptTokens: Int?
    private var predicted: Int?
    private var prefillSeconds: Double?
    private var decodeSeconds: Double?

    mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool {
        guard let reply = try? JSONDecoder().decode(LlamaCompletionReply.self, from: Data(event.data.utf8)) else {
            throw InferenceError(.serverError, "malformed llama-server event: \(event.data.prefix(200))")
        }
        return try handle(reply, sink: sink)
    }

    mutating func handle(wholeReply body: [UInt8], sink: GenerationSink) throws {
        guard let reply = try? JSONDecoder().decode(LlamaCompletionReply.self, from: Data(body)) else {
            throw InferenceError(.serverError, "malformed llama-server reply: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        _ = try handle(reply, sink: sink)
    }

    mutating func handle(_ reply: LlamaCompletionReply, sink: GenerationSink?) throws -> Bool {
        if let error = reply.error {
            throw InferenceError(.serverError, error.message ?? "(no message)", status: error.status)
        }
        let content = reply.content ?? ""
        let ids = reply.tokens ?? []
        if !content.isEmpty || !ids.isEmpty {
            // One event per sampled token; when the server merges bytes of several tokens into one piece of
            // text, no single id describes it, so none is given.
            try sink?.yield(Token(id: ids.count == 1 ? ids[0] : nil, text: content))
        }
        guard reply.stop == true else { return false }
        switch reply.stopType {
        case "limit": finishReason = .length
        default: finishReason = .stop
        }
        promptTokens = reply.tokensEvaluated
        predicted = reply.tokensPredicted
        if let timings = reply.timings {
            if let ms = timings.promptMs { prefillSeconds = ms / 1000 }
            if let ms = timings.predictedMs { decodeSeconds = ms / 1000 }
            // `prompt_n` counts only tokens not served from the prompt cache; `tokens_evaluated` is the whole prompt.
            promptTokens = promptTokens ?? timings.promptN
            predicted = timings.predictedN ?? predicted
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

/// One event (or the whole reply) of llama-server's native `/completion`: a piece of content with its token
/// ids; on the last, `stop`, the stop type, counts and `timings`.
struct LlamaCompletionReply: Decodable {
    var content: String?
    var tokens: [Int]?
    var stop: Bool?
    var stopType: String?
    var tokensEvaluated: Int?
    var tokensPredicted: Int?
    var timings: Timings?
    var error: ErrorDetail?

    /// Lenient, as the untyped reading was: a member of the wrong type is absent.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        content = try? container.decodeIfPresent(String.self, forKey: .content)
        tokens = try? container.decodeIfPresent([Int].self, forKey: .tokens)
        stop = try? container.decodeIfPresent(Bool.self, forKey: .stop)
        stopType = try? container.decodeIfPresent(String.self, forKey: .stopType)
        tokensEvaluated = try? container.decodeIfPresent(Int.self, forKey: .tokensEvaluated)
        tokensPredicted = try? container.decodeIfPresent(Int.self, forKey: .tokensPredicted)
        timings = try? container.decodeIfPresent(Timings.self, forKey: .timings)
        error = try? container.decodeIfPresent(ErrorDetail.self, forKey: .error)
    }

    enum CodingKeys: String, CodingKey {
        case content, tokens, stop, timings, error
        case stopType = "stop_type"
        case tokensEvaluated = "tokens_evaluated"
        case tokensPredicted = "tokens_predicted"
    }
}

/// The JSON body of a native `/completion` request: only what is set (the sampling fields are named as in
/// the OpenAI API).
struct LlamaCompletionRequest: Encodable {
    var sampling: SamplingParameters
    var prompt: String
    var stream: Bool
    var returnTokens = true
    /// Whether the slot may reuse the longest prefix it already computed (see ``LlamaServerModel``'s
    /// `cachesPrompt(at:)` for when it may not).
    var cachePrompt = true
    var nPredict: Int
    var jsonSchema: JSONValue?
    /// llama-server's per-request `lora` list: each loaded adapter's scale (by load order) for this request only.
    var lora: [AdapterScale]?

    /// The scales of ``lora`` by adapter id.
    var adapterScales: [Double]? { lora?.map(\.scale) }

    struct AdapterScale: Encodable {
        var id: Int
        var scale: Double
    }

    /// `adapterScales`, when given, is the scale of each loaded LoRA adapter (an adapter left out would get 0
    /// anyway).
    init(prompt: String, options: GenerateOptions, stream: Bool, adapterScales: [Double]? = nil) {
        sampling = WireParameters.sampling(options)
        self.prompt = prompt
        self.stream = stream
        lora = adapterScales?.enumerated().map { AdapterScale(id: $0.offset, scale: $0.element) }
        nPredict = options.maxTokens ?? -1
        switch options.responseFormat {
        case .none: break
        case .jsonObject: jsonSchema = .object(["type": .string("object")])
        case .jsonSchema(_, let schema): jsonSchema = JSONValue.parse(schema) ?? .object(["type": .string("object")])
        }
    }

    func encode(to encoder: any Encoder) throws {
        try sampling.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(stream, forKey: .stream)
        try container.encode(returnTokens, forKey: .returnTokens)
        try container.encode(cachePrompt, forKey: .cachePrompt)
        try container.encode(nPredict, forKey: .nPredict)
        try container.encodeIfPresent(jsonSchema, forKey: .jsonSchema)
        try container.encodeIfPresent(lora, forKey: .lora)
    }

    enum CodingKeys: String, CodingKey {
        case prompt, stream, lora
        case returnTokens = "return_tokens"
        case cachePrompt = "cache_prompt"
        case nPredict = "n_predict"
        case jsonSchema = "json_schema"
    }
}
