import Foundation
import HTTPTypes
import Hummingbird
import JSONValues
import Logging
import MCP
import NIOCore
import Serving

/// MCP over streamable HTTP at `/mcp` inside `ml serve --mcp` (the SDK's stateful transport, one per session):
/// an `initialize` without a session starts a session with its own MCP server over the shared tools; later
/// requests name it in `Mcp-Session-Id`; DELETE ends it. Sessions are bounded: past ``maxSessions`` the one idle
/// longest is closed. The OpenAI server's Host rule and bearer key apply (see ``routeExtension()``).
public actor MCPHTTPEndpoint {
    public static let path = "/mcp"
    let tools: MCPToolServer
    let maxBodyBytes: Int
    let maxSessions: Int
    let logger: Logger
    private var sessions: [String: Session] = [:]

    struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    public init(tools: MCPToolServer, maxBodyBytes: Int = 1 << 20, maxSessions: Int = 32, logger: Logger = Logger(label: "ml.mcp")) {
        self.tools = tools
        self.maxBodyBytes = maxBodyBytes
        self.maxSessions = max(1, maxSessions)
        self.logger = logger
    }

    /// The `/mcp` route (GET for the server's event stream, POST for messages, DELETE to end a session), with the
    /// bearer key required on it.
    public nonisolated func routeExtension() -> RouteExtension {
        RouteExtension(routes: [(Self.path, [.get, .post, .delete])], protectedPaths: [Self.path]) { router in
            let handler: @Sendable (Request, ServeRequestContext) async throws -> Response = { request, _ in
                try await self.respond(to: request)
            }
            router.get(RouterPath(Self.path), use: handler)
            router.post(RouterPath(Self.path), use: handler)
            router.delete(RouterPath(Self.path), use: handler)
        }
    }

    /// Sessions open now.
    public var sessionCount: Int { sessions.count }

    /// Ends every session (at shutdown).
    public func closeAll() async {
        for session in sessions.values { await session.server.stop() }
        sessions.removeAll()
    }

    func respond(to request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: maxBodyBytes)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value
        }
        let message = MCP.HTTPRequest(method: request.method.rawValue, headers: headers,
                                      body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil, path: request.uri.path)
        return Self.response(await handle(message))
    }

    func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let sessionID = request.header(HTTPHeaderName.sessionID)
        if let sessionID, var session = sessions[sessionID] {
            session.lastUsed = .now
            sessions[sessionID] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions.removeValue(forKey: sessionID)
                await session.server.stop()
            }
            return response
        }
        if sessionID != nil {
            return .error(statusCode: 404, .invalidRequest("Not Found: session not found or ended"))
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: send initialize first, then the \(HTTPHeaderName.sessionID) header"))
        }
        return await startSession(request)
    }

    private func startSession(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        if sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            sessions.removeValue(forKey: oldest.key)
            await oldest.value.server.stop()
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), logger: logger)
        let server = await tools.makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("cannot start an MCP session: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: .now)
        return await transport.handleRequest(request)
    }

    /// Whether a JSON-RPC body is (or, in a batch, holds) an `initialize` request.
    static func isInitialize(_ body: Data) -> Bool {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else { return false }
        func isInitialize(_ value: JSONValue) -> Bool {
            if case .object(let object) = value, object["method"] == .string("initialize") { return true }
            return false
        }
        if case .array(let items) = value { return items.contains(where: isInitialize) }
        return isInitialize(value)
    }

    /// The SDK's framework-free response as a Hummingbird response (an event stream is passed on as it comes).
    static func response(_ response: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPResponse.Status(code: response.statusCode)
        switch response {
        case .stream(let stream, _):
            return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: stream.map { ByteBuffer(bytes: $0) }))
        default:
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.bodyData ?? Data())))
        }
    }
}

/// The session id the endpoint chose, handed to the transport.
private struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}
