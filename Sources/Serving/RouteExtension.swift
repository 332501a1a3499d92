import HTTPTypes
import Hummingbird

/// Routes another module adds to ``OpenAIServer`` (the MCP endpoint, the `/v1/ml` REST API): registered after the
/// server's own middleware, so the same Host rule, bearer key (every path under `/v1/` and the ones listed in
/// ``protectedPaths``), metrics and error handling apply to them.
public struct RouteExtension: Sendable {
    /// Each path and the methods it answers (another method is a 405 naming these).
    public var routes: [(path: String, methods: [HTTPRequest.Method])]
    /// Paths outside `/v1/` that need the bearer key too.
    public var protectedPaths: [String]
    public var register: @Sendable (Router<ServeRequestContext>) -> Void

    public init(routes: [(path: String, methods: [HTTPRequest.Method])], protectedPaths: [String] = [],
                register: @escaping @Sendable (Router<ServeRequestContext>) -> Void) {
        self.routes = routes
        self.protectedPaths = protectedPaths
        self.register = register
    }
}
