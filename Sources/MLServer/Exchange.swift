import Foundation
import HTTPTypes
import Hummingbird
import Inference
import NIOCore
import Synchronization

/// Signals the first piece of a generation, or its failure before any piece.
final class FirstPiece: Sendable {
    private let state = Mutex<(done: Bool, error: (any Error)?, waiter: CheckedContinuation<(any Error)?, Never>?)>((false, nil, nil))

    func arrived() { resolve(nil) }
    func failed(_ error: any Error) { resolve(error) }

    private func resolve(_ error: (any Error)?) {
        let waiter = state.withLock { state -> CheckedContinuation<(any Error)?, Never>? in
            guard !state.done else { return nil }
            state.done = true
            state.error = error
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: error)
    }

    /// Waits for the first piece (`nil`) or the error that came instead.
    func wait() async -> (any Error)? {
        await withCheckedContinuation { continuation in
            let result = state.withLock { state -> (any Error)?? in
                if state.done { return .some(state.error) }
                state.waiter = continuation
                return .none
            }
            if let result { continuation.resume(returning: result) }
        }
    }
}

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
        self.chunkSuffix = #"],"created":\#(created),"id":"# + Self.jsonString(id) + #","model":"#
            + Self.jsonString(server.modelID) + #","object":"\#(chat ? "chat.completion.chunk" : "text_completion")"}"# + "\n\n"
    }

    /// Everything after the choices array of a content chunk, through the blank line ending the event.
    private let chunkSuffix: String

    /// The whole reply as one JSON object. Its bytes are sent as the text is generated (the content string is
    /// written piece by piece inside the object), so a client that disconnects is noticed at the next token and
    /// its generation cancelled. A failure before the first token is an error status; a failure after it cuts
    /// the connection, so the client sees a broken reply rather than a truncated answer that looks whole.
    func wholeResponse(onFinish: @escaping @Sendable () -> Void) async throws -> Response {
        let generation = server.generation(for: request)
        let (pieces, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let first = FirstPiece()
        let stops = request.options.stop
        let pump = Task {
            var matcher = StopSequenceMatcher(stops)
            do {
                for try await token in generation {
                    if let visible = matcher.feed(token), !visible.text.isEmpty {
                        continuation.yield(visible.text)
                        first.arrived()
                    }
                    if matcher.stopped { break }
                }
                if let rest = matcher.flushToken() { continuation.yield(rest.text) }
                if matcher.stopped { generation.cancel() }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
                first.failed(error)
            }
            first.arrived()
            return matcher.stopped
        }
        continuation.onTermination = { _ in pump.cancel() }
        if let error = await first.wait() { throw APIError.backend(error) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer {
                pump.cancel()
                onFinish()
            }
            let contentKey = chat ? #""message":{"role":"assistant","content":""# : #""text":""#
            // Pieces are written at most every 100 ms: soon enough to notice a client that left, without a
            // small write per token.
            var pending = #"{"id":"\#(id)","object":"\#(chat ? "chat.completion" : "text_completion")","created":\#(created),"model":"# + Self.jsonString(server.modelID) + #","choices":[{"index":0,"# + contentKey
            var lastWrite = ContinuousClock.now
            for try await piece in pieces {
                pending += Self.jsonString(piece).dropFirst().dropLast()
                if ContinuousClock.now - lastWrite >= .milliseconds(100) {
                    try await writer.write(ByteBuffer(string: pending))
                    pending = ""
                    lastWrite = .now
                }
            }
            let stopped = await pump.value
            let summary = await generation.finished()
            server.recordTokens(summary.metrics)
            let reason = stopped ? FinishReason.stop : Self.openAIReason(summary.finishReason)
            let usage = summary.metrics
            var tail = pending + (chat ? "\"}" : "\"")
            tail += #","finish_reason":"\#(reason.rawValue)"}],"usage":{"prompt_tokens":\#(usage.promptTokens),"completion_tokens":\#(usage.generatedTokens),"total_tokens":\#(usage.promptTokens + usage.generatedTokens)}}"#
            try await writer.write(ByteBuffer(string: tail))
            try await writer.finish(nil)
        })
    }

    /// A JSON string literal for `text`, quotes included.
    static func jsonString(_ text: String) -> String { JSONEscaping.literal(text) }

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

    /// A content chunk, written by hand (the same keys, in the same sorted order, as ``event(choiceDelta:finish:)``):
    /// this runs once per token.
    private func event(text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkSuffix.utf8.count + text.utf8.count + 64)
        if chat {
            buffer.writeStaticString(#"data: {"choices":[{"delta":{"content":"#)
            JSONEscaping.appendLiteral(text, to: &buffer)
            buffer.writeStaticString(#"},"finish_reason":null,"index":0}"#)
        } else {
            buffer.writeStaticString(#"data: {"choices":[{"finish_reason":null,"index":0,"text":"#)
            JSONEscaping.appendLiteral(text, to: &buffer)
            buffer.writeStaticString("}")
        }
        buffer.writeString(chunkSuffix)
        return buffer
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
