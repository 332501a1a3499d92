import Foundation
import Hummingbird
import Inference
import NIOCore

/// One completion request turned into an OpenAI reply: whole, or streamed as chunks with `[DONE]`.
struct Exchange: Sendable {
    let server: OpenAIServer
    let request: CompletionRequest
    let chat: Bool
    let id: String
    let created = Int(Date().timeIntervalSince1970)

    init(server: OpenAIServer, request: CompletionRequest, chat: Bool) {
        self.server = server
        self.request = request
        self.chat = chat
        self.id = (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Runs the generation to the end and returns the whole reply object.
    func whole() async throws -> [String: Any] {
        let generation = server.generation(for: request)
        var matcher = StopSequenceMatcher(request.options.stop)
        var text = ""
        do {
            for try await token in generation {
                text += matcher.feed(token.text)
                if matcher.stopped { break }
            }
        } catch {
            throw APIError.backend(error)
        }
        text += matcher.flush()
        if matcher.stopped { generation.cancel() }
        let summary = await generation.finished()
        server.recordTokens(summary.metrics)
        let reason = matcher.stopped ? FinishReason.stop : Self.openAIReason(summary.finishReason)
        var choice: [String: Any] = ["index": 0, "finish_reason": reason.rawValue]
        if chat {
            choice["message"] = ["role": "assistant", "content": text]
        } else {
            choice["text"] = text
        }
        return envelope(object: chat ? "chat.completion" : "text_completion", choices: [choice], usage: summary.metrics)
    }

    /// Streams the reply: a role chunk (chat), content chunks, a final chunk with the finish reason, a usage chunk
    /// when asked, then `[DONE]`. A backend failure mid-stream becomes an error event. If the client goes away,
    /// writing fails, the loop ends and the generation is cancelled.
    func stream(into writer: inout any ResponseBodyWriter) async throws {
        let generation = server.generation(for: request)
        if chat { try await writer.write(event(choiceDelta: ["role": "assistant", "content": ""], finish: nil)) }
        var matcher = StopSequenceMatcher(request.options.stop)
        do {
            for try await token in generation {
                let visible = matcher.feed(token.text)
                if !visible.isEmpty { try await writer.write(event(text: visible)) }
                if matcher.stopped { break }
            }
            let rest = matcher.flush()
            if !rest.isEmpty { try await writer.write(event(text: rest)) }
        } catch let error where !(error is CancellationError) && generation.summary?.finishReason == .error {
            let apiError = APIError.backend(error)
            try await writer.write(Self.sse(apiError.json))
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
            return
        }
        if matcher.stopped { generation.cancel() }
        let summary = await generation.finished()
        server.recordTokens(summary.metrics)
        let reason = matcher.stopped ? FinishReason.stop : Self.openAIReason(summary.finishReason)
        try await writer.write(event(choiceDelta: [:], finish: reason.rawValue))
        if request.includeUsage {
            try await writer.write(Self.sse(envelope(object: chunkObject, choices: [], usage: summary.metrics)))
        }
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        try await writer.finish(nil)
    }

    private var chunkObject: String { chat ? "chat.completion.chunk" : "text_completion" }

    private func event(text: String) -> ByteBuffer {
        chat ? event(choiceDelta: ["content": text], finish: nil) : Self.sse(envelope(
            object: chunkObject, choices: [["index": 0, "text": text, "finish_reason": NSNull()]], usage: nil))
    }

    private func event(choiceDelta delta: [String: Any], finish: String?) -> ByteBuffer {
        var choice: [String: Any] = ["index": 0, "finish_reason": finish.map { $0 as Any } ?? NSNull()]
        if chat { choice["delta"] = delta } else { choice["text"] = "" }
        return Self.sse(envelope(object: chunkObject, choices: [choice], usage: nil))
    }

    private func envelope(object: String, choices: [[String: Any]], usage: GenerateMetrics?) -> [String: Any] {
        var result: [String: Any] = ["id": id, "object": object, "created": created, "model": server.modelID, "choices": choices]
        if let usage {
            result["usage"] = [
                "prompt_tokens": usage.promptTokens, "completion_tokens": usage.generatedTokens,
                "total_tokens": usage.promptTokens + usage.generatedTokens,
            ]
        }
        return result
    }

    static func sse(_ object: [String: Any]) -> ByteBuffer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var buffer = ByteBuffer()
        buffer.writeString("data: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// OpenAI knows `stop` and `length`; cancellation and errors never reach a client as a finish reason.
    static func openAIReason(_ reason: FinishReason) -> FinishReason {
        reason == .length ? .length : .stop
    }
}
