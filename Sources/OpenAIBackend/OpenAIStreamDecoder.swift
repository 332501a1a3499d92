import Foundation
import Inference

/// Turns the events of an OpenAI-style stream (or a whole non-streamed reply) into tokens, a finish reason,
/// usage and llama.cpp timings. An error object inside the stream becomes a thrown ``InferenceError``.
public struct OpenAIStreamDecoder: EventStreamDecoder {
    public private(set) var finishReason: FinishReason?
    public private(set) var sawDone = false
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
        guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
            throw InferenceError(.serverError, "malformed stream event: \(Self.truncate(trimmed, maxErrorBytes))")
        }
        return try handle(object)
    }

    /// Handles one decoded chunk or whole reply.
    mutating func handle(_ object: [String: Any]) throws -> String {
        if let error = object["error"] {
            throw InferenceError(.serverError, Self.errorMessage(error, limit: maxErrorBytes), status: Self.errorCode(error))
        }
        if let usage = object["usage"] as? [String: Any] {
            promptTokens = Self.int(usage["prompt_tokens"]) ?? promptTokens
            completionTokens = Self.int(usage["completion_tokens"]) ?? completionTokens
        }
        if let timings = object["timings"] as? [String: Any] {
            if let ms = Self.double(timings["prompt_ms"]) { prefillSeconds = ms / 1000 }
            if let ms = Self.double(timings["predicted_ms"]) { decodeSeconds = ms / 1000 }
            promptTokens = promptTokens ?? Self.int(timings["prompt_n"])
            completionTokens = completionTokens ?? Self.int(timings["predicted_n"])
        }
        var text = ""
        for choice in object["choices"] as? [[String: Any]] ?? [] {
            if let delta = choice["delta"] as? [String: Any], let content = delta["content"] as? String {
                text += content
            } else if let message = choice["message"] as? [String: Any], let content = message["content"] as? String {
                text += content
            } else if let content = choice["text"] as? String {
                text += content
            }
            if let reason = choice["finish_reason"] as? String { finishReason = FinishReason(rawValue: reason) }
        }
        return text
    }

    public mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool {
        let text = try handle(event.data)
        if !text.isEmpty { try sink.yield(Token(id: nil, text: text)) }
        return sawDone
    }

    public func outcome(delivered: Int, totalSeconds: Double, source: String) throws -> GenerationOutcome {
        guard isComplete else {
            throw InferenceError(
                .truncated,
                "the stream from \(source) ended without a finish reason or [DONE] after \(delivered) tokens"
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

    /// The human-readable message of an OpenAI error body or object, cut to `limit` bytes.
    static func errorMessage(_ error: Any, limit: Int) -> String {
        if let object = error as? [String: Any] {
            if let message = object["message"] as? String { return truncate(message, limit) }
            if let inner = object["error"] { return errorMessage(inner, limit: limit) }
        }
        if let string = error as? String { return truncate(string, limit) }
        let data = (try? JSONSerialization.data(withJSONObject: error)) ?? Data()
        return truncate(String(decoding: data, as: UTF8.self), limit)
    }

    static func errorCode(_ error: Any) -> Int? {
        guard let object = error as? [String: Any] else { return nil }
        return int(object["code"])
    }

    /// The message of an error response body (JSON or plain text).
    static func message(fromBody body: [UInt8], limit: Int) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) {
            return errorMessage(object, limit: limit)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return truncate(text.isEmpty ? "(empty body)" : text, limit)
    }

    static func truncate(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = text.utf8.prefix(limit)
        while !cut.isEmpty, String(cut) == nil { cut = cut.dropLast() }
        return (String(cut) ?? "") + "…"
    }

    static func int(_ value: Any?) -> Int? {
        if let value = value as? Int { return value }
        if let value = value as? Double { return Int(value) }
        if let value = value as? String { return Int(value) }
        return nil
    }

    static func double(_ value: Any?) -> Double? {
        if let value = value as? Double { return value }
        if let value = value as? Int { return Double(value) }
        return nil
    }
}
