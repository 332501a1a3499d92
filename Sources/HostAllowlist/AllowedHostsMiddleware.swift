import HTTPTypes
import Hummingbird
import NIOCore

/// Answers 421 Misdirected Request to a request whose `Host` is not one of ``AllowedHosts`` (first in the
/// chain, before routing, authentication or any work).
public struct AllowedHostsMiddleware<Context: RequestContext>: RouterMiddleware {
    public let hosts: AllowedHosts

    public init(_ hosts: AllowedHosts) { self.hosts = hosts }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1's `Host` arrives as the request's authority: HTTPTypes moves it there from the header fields.
        let host = request.head.authority
        guard hosts.accepts(host) else {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .misdirectedRequest, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: hosts.refusal(host ?? ""))))
        }
        return try await next(request, context)
    }
}
