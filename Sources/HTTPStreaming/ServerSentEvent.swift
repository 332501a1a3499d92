/// One event of a `text/event-stream`, as the HTML specification's parser dispatches it.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; empty means the default type `message`.
    public var event: String
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The last `id:` field seen (it persists across events, per the specification).
    public var id: String?
    /// The `retry:` field, in milliseconds, when the event carried one.
    public var retry: Int?

    public init(event: String = "", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
