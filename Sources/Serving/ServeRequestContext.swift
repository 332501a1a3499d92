import Hummingbird
import NIOCore

/// The request context of ``OpenAIServer``: Hummingbird's basic context plus the connection's channel, so a
/// whole (buffered) reply can notice that its client has gone before anything has been written to it.
public struct ServeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
