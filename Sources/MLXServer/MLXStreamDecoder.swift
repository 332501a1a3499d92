import HTTPStreaming
import Inference

/// mlx_lm.server's OpenAI stream with our stop sequences applied. The server only deletes a stop string that
/// does not fall on a token boundary and keeps generating, so stops are never sent to it: this decoder cuts the
/// text before the first stop (even one split across chunks), ends the stream there with finish reason `stop`,
/// and the dropped connection ends the server's generation.
struct MLXStreamDecoder: EventStreamDecoder {
    private var inner: OpenAIStreamDecoder
    private var matcher: StopSequenceMatcher
    private var stoppedHere = false

    init(stops: [String], maxErrorBytes: Int = 500) {
        inner = OpenAIStreamDecoder(maxErrorBytes: maxErrorBytes)
        matcher = StopSequenceMatcher(stops)
    }

    mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool {
        let text = try inner.handle(event.data)
        var emit = matcher.feed(text)
        if matcher.stopped {
            if !emit.isEmpty { try sink.yield(Token(id: nil, text: emit)) }
            stoppedHere = true
            return true
        }
        // The finish event carries the last text; what the matcher held back is safe to emit now.
        if inner.isComplete { emit += matcher.flush() }
        if !emit.isEmpty { try sink.yield(Token(id: nil, text: emit)) }
        return inner.sawDone
    }

    mutating func handle(wholeReply body: [UInt8], sink: GenerationSink) throws {
        var emit = matcher.feed(try inner.handle(wholeReply: body))
        if matcher.stopped { stoppedHere = true } else { emit += matcher.flush() }
        if !emit.isEmpty { try sink.yield(Token(id: nil, text: emit)) }
    }

    func outcome(delivered: Int, totalSeconds: Double, source: String) throws -> GenerationOutcome {
        if stoppedHere {
            return GenerationOutcome(
                finishReason: .stop,
                metrics: inner.metrics(delivered: delivered, totalSeconds: totalSeconds)
            )
        }
        return try inner.outcome(delivered: delivered, totalSeconds: totalSeconds, source: source)
    }
}
