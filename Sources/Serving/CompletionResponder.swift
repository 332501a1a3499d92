import Foundation
import HTTPTypes
import Hummingbird
import Inference
import NIOCore
import OpenAIWire
import Synchronization

/// One completion request turned into an OpenAI reply: whole, or streamed as chunks with `[DONE]`.
struct CompletionResponder: Sendable {
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

    /// The whole reply as one JSON object, sent only once the generation has ended well: a reply is either
    /// complete and valid or an error status (a backend failure is a 502/503, a shutdown past the drain timeout
    /// a 503), never a 200 with a body cut short. Nothing is written while generating, so the connection is
    /// watched instead: a client that disconnects cancels its generation within 100 ms.
    func wholeResponse(channel: (any Channel)?) async throws -> Response {
        let generation = server.generation(for: request)
        let registration = server.drain.register { generation.cancel() }
        defer { server.drain.unregister(registration) }
        let watcher = Task {
            // A channel that is not active from the start is a test's stand-in, not a client connection.
            guard let channel, channel.isActive else { return }
            while await !Self.clientLeft(channel) { try await Task.sleep(for: .milliseconds(100)) }
            generation.cancel()
        }
        defer { watcher.cancel() }
        var matcher = StopSequenceMatcher(request.options.stop)
        var text = ""
        do {
            for try await token in generation {
                text += matcher.feed(token.text)
                if matcher.stopped { break }
            }
            text += matcher.flush()
        } catch {
            throw server.drain.expired ? APIError.shuttingDown : APIError.backend(error)
        }
        if matcher.stopped { generation.cancel() }
        let summary = await generation.finished()
        server.recordTokens(summary.metrics)
        if !matcher.stopped, summary.finishReason == .cancelled {
            // Cut short by the shutdown, or by a client that left (which will not read this anyway).
            throw server.drain.expired ? APIError.shuttingDown : APIError.cancelled
        }
        let reason = matcher.stopped ? FinishReason.stop : Self.openAIReason(summary.finishReason)
        let choice = chat
            ? CompletionChoice(message: ChatMessage(role: "assistant", content: text), finishReason: reason.rawValue)
            : CompletionChoice(text: text, finishReason: reason.rawValue)
        let reply = CompletionResponse(
            id: id, object: chat ? "chat.completion" : "text_completion", created: created, model: server.modelID,
            choices: [choice], usage: Self.usage(summary.metrics)
        )
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.encode(reply))))
    }

    /// Whether the client has gone: its connection is closed or, on Linux, the client has closed its side of it
    /// (Hummingbird allows half-closed connections, so a client that leaves does not close the channel by itself;
    /// an HTTP client that closes its side while waiting for a reply has given up on it).
    static func clientLeft(_ channel: any Channel) async -> Bool {
        guard channel.isActive else { return true }
        #if os(Linux)
        if let provider = channel as? any SocketOptionProvider, let info = try? await provider.getTCPInfo().get() {
            return info.tcpi_state == 8  // TCP_CLOSE_WAIT: the peer has sent its FIN
        }
        #endif
        return false
    }

    /// A JSON string literal for `text`, quotes included.
    static func jsonString(_ text: String) -> String { JSONEscaping.literal(text) }

    /// Streams the reply: a role chunk (chat), content chunks, a final chunk with the finish reason, a usage chunk
    /// when asked, then `[DONE]`. A backend failure mid-stream, or a shutdown past the drain timeout, becomes an
    /// error event then `[DONE]`: a stream always ends so that the client can tell how. If the client goes away,
    /// writing fails, the loop ends and the generation is cancelled.
    func stream(into writer: inout any ResponseBodyWriter) async throws {
        let generation = server.generation(for: request)
        let registration = server.drain.register { generation.cancel() }
        defer { server.drain.unregister(registration) }
        if chat { try await writer.write(event(choiceDelta: ChatDelta(role: "assistant", content: ""), finish: nil)) }
        var matcher = StopSequenceMatcher(request.options.stop)
        var clientGone = false
        do {
            for try await token in generation {
                let visible = matcher.feed(token.text)
                if !visible.isEmpty {
                    clientGone = true
                    try await writer.write(event(text: visible))
                    clientGone = false
                }
                if matcher.stopped { break }
            }
            let rest = matcher.flush()
            if !rest.isEmpty {
                clientGone = true
                try await writer.write(event(text: rest))
                clientGone = false
            }
        } catch where !clientGone {
            // The generation failed or was cut by the shutdown (a write failure means the client left: rethrown).
            try await endWithError(server.drain.expired ? .shuttingDown : APIError.backend(error), into: &writer)
            return
        }
        if matcher.stopped { generation.cancel() }
        let summary = await generation.finished()
        server.recordTokens(summary.metrics)
        if !matcher.stopped, summary.finishReason == .cancelled, server.drain.expired {
            try await endWithError(.shuttingDown, into: &writer)
            return
        }
        let reason = matcher.stopped ? FinishReason.stop : Self.openAIReason(summary.finishReason)
        try await writer.write(event(choiceDelta: ChatDelta(), finish: reason.rawValue))
        if request.includeUsage {
            try await writer.write(Self.sse(envelope(choices: [], usage: summary.metrics)))
        }
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        try await writer.finish(nil)
    }

    /// An in-band error event, `[DONE]`, and the end of the body.
    private func endWithError(_ error: APIError, into writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(Self.sse(error.wire))
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


    private func event(choiceDelta delta: ChatDelta, finish: String?) -> ByteBuffer {
        let choice = chat ? CompletionChoice(delta: delta, finishReason: finish) : CompletionChoice(text: "", finishReason: finish)
        return Self.sse(envelope(choices: [choice], usage: nil))
    }

    private func envelope(choices: [CompletionChoice], usage: GenerateMetrics?) -> CompletionResponse {
        CompletionResponse(id: id, object: chunkObject, created: created, model: server.modelID, choices: choices, usage: usage.map(Self.usage))
    }

    static func usage(_ metrics: GenerateMetrics) -> Usage {
        Usage(promptTokens: metrics.promptTokens, completionTokens: metrics.generatedTokens)
    }

    /// `value` as JSON with sorted keys (the order the hand-written chunks follow).
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func sse(_ value: some Encodable) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("data: ")
        buffer.writeBytes(encode(value))
        buffer.writeString("\n\n")
        return buffer
    }

    /// OpenAI knows `stop` and `length`; cancellation and errors never reach a client as a finish reason.
    static func openAIReason(_ reason: FinishReason) -> FinishReason {
        reason == .length ? .length : .stop
    }
}
