import Foundation
import Inference
import OpenAIWire

/// Turns the events of an OpenAI-style stream (or a whole non-streamed reply) into tokens, a finish reason,
/// usage and llama.cpp timings. An error object inside the stream becomes a thrown ``InferenceError``; a reply
/// with no completion in it — no event, or no whole reply, with a choice that carries text or a finish reason — is
/// an ``InferenceErrorCode/invalidReply``, never an empty answer (a choice that ends at once with no text is one).
/// Here rather than in `OpenAIBackend` because every OpenAI-compatible server's backend reads this format
/// (`MLXServer`'s decoder wraps it).
public struct OpenAIStreamDecoder: EventStreamDecoder {
    public private(set) var finishReason: FinishReason?
    public private(set) var sawDone = false
    /// Choices seen that carry text or a finish reason: a reply with none has no completion.
    public private(set) var completionChoices = 0
    /// Whether the reply was one JSON object rather than a stream (for the error's wording).
    private var wasWholeReply = false
    private(set) var promptTokens: Int?
    private(set) var completionTokens: Int?
    private(set) var prefillSeconds: Double?
    private(set) var decodeSeconds: Double?
    var maxErrorBytes: Int

    public init(maxErrorBytes: Int = 500) { self.maxErrorBytes = maxErrorBytes }

    /// Handles one event's data; returns the text it carries (possibly empty).
    public mutating func handle(_ data: String) throws -> String {
        let trimmed = data.trimmingCharacters(in: .whitespaces)
        if trimmed == "[DONE]" {
            sawDone = true
            return ""
        }
        guard let chunk = try? JSONDecoder().decode(CompletionResponse.self, from: Data(trimmed.utf8)) else {
            throw InferenceError(.serverError, "malformed stream event: \(ErrorMessage.truncate(trimmed, maxErrorBytes))")
        }
        return try handle(chunk)
    }

    /// Handles one decoded chunk or whole reply.
    mutating func handle(_ chunk: CompletionResponse) throws -> String {
        if let error = chunk.error {
            throw InferenceError(.serverError, ErrorMessage.truncate(error.message ?? "(no message)", maxErrorBytes), status: error.status)
        }
        if let usage = chunk.usage {
            promptTokens = usage.promptTokens ?? promptTokens
            completionTokens = usage.completionTokens ?? completionTokens
        }
        if let timings = chunk.timings {
            if let ms = timings.promptMs { prefillSeconds = ms / 1000 }
            if let ms = timings.predictedMs { decodeSeconds = ms / 1000 }
            promptTokens = promptTokens ?? timings.promptN
            completionTokens = completionTokens ?? timings.predictedN
        }
        var text = ""
        for choice in chunk.choices {
            if choice.content != nil || choice.finishReason != nil { completionChoices += 1 }
            if let content = choice.content { text += content }
            if let reason = choice.finishReason { finishReason = FinishReason(rawValue: reason) }
        }
        return text
    }

    public mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool {
        let text = try handle(event.data)
        if !text.isEmpty { try sink.yield(Token(id: nil, text: text)) }
        return sawDone
    }

    /// A server that ignored `"stream": true` answered with one JSON reply: its text, as one token.
    public mutating func handle(wholeReply body: [UInt8], sink: GenerationSink) throws {
        let text = try handle(wholeReply: body)
        if !text.isEmpty { try sink.yield(Token(id: nil, text: text)) }
    }

    /// Handles a whole JSON reply (which is complete by itself); returns its text.
    public mutating func handle(wholeReply body: [UInt8]) throws -> String {
        guard let reply = try? JSONDecoder().decode(CompletionResponse.self, from: Data(body)) else {
            throw InferenceError(.serverError, "malformed reply: \(ErrorMessage.truncate(String(decoding: body, as: UTF8.self), maxErrorBytes))")
        }
        let text = try handle(reply)
        sawDone = true
        wasWholeReply = true
        return text
    }

    public func outcome(delivered: Int, totalSeconds: Double, source: String) throws -> GenerationOutcome {
        guard isComplete else {
            throw InferenceError(
                .truncated,
                "the stream from \(source) ended without a finish reason or [DONE] after \(delivered) tokens"
            )
        }
        // Why: a 200 whose body is not OpenAI's shape (`"choices": "nope"`, an event stream of other bytes and then
        // [DONE]) decodes leniently to nothing; read as an answer it would be stored as an empty success.
        guard completionChoices > 0 else {
            throw InferenceError(
                .invalidReply,
                wasWholeReply
                    ? "the reply from \(source) has no completion: no `choices` list with a choice carrying text or a finish reason"
                    : "the stream from \(source) ended with no completion: no event carried a choice with text or a finish reason"
            )
        }
        return GenerationOutcome(
            finishReason: finishReason ?? .stop,
            metrics: metrics(delivered: delivered, totalSeconds: totalSeconds)
        )
    }

    /// Whether the stream ended properly (a finish reason or `[DONE]`).
    public var isComplete: Bool { finishReason != nil || sawDone }

    public func metrics(delivered: Int, totalSeconds: Double) -> GenerateMetrics {
        GenerateMetrics(
            promptTokens: promptTokens ?? 0,
            generatedTokens: completionTokens ?? delivered,
            prefillDuration: prefillSeconds,
            decodeDuration: decodeSeconds,
            totalDuration: totalSeconds
        )
    }
}
