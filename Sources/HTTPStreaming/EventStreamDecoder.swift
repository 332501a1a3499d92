import Inference

/// Turns the server-sent events of one streamed reply into tokens and, at the end, an outcome.
/// A fresh decoder serves each attempt of a request.
public protocol EventStreamDecoder: Sendable {
    /// Handles one event, delivering any tokens it carries to `sink`; returns `true` when the stream is
    /// complete (no more events are read). An error object in the event is thrown.
    mutating func handle(_ event: ServerSentEvent, sink: GenerationSink) throws -> Bool

    /// Handles a whole JSON reply (`Content-Type: application/json`) from a server that answered a streamed
    /// request without streaming: the reply is read as one, not as a stream cut short.
    mutating func handle(wholeReply body: [UInt8], sink: GenerationSink) throws

    /// Called when the reply's body has ended: the generation's outcome, or an error (e.g. truncation, when
    /// the stream ended without its final event). `source` names the server for messages.
    func outcome(delivered: Int, totalSeconds: Double, source: String) throws -> GenerationOutcome
}
