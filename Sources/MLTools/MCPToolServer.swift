import Foundation
import JSONValues
import Logging
import MCP

/// The tools served over the Model Context Protocol (the official Swift SDK): `tools/list` gives each tool's
/// schema and description, `tools/call` runs it. A tool's failure is a tool error result (`isError`) with its
/// message, never a protocol error or a hung session; a client's `notifications/cancelled` cancels the call's task,
/// and a call that sent a progress token gets `notifications/progress` as the tool reports.
public struct MCPToolServer: Sendable {
    public var tools: [MLTool]
    /// The result files served as resources (`resources/list`, `resources/read`); nil: none.
    public var resources: ResultFiles?
    public var name: String
    public var version: String

    public init(tools: [MLTool], resources: ResultFiles? = nil, name: String = "swift-ml", version: String) {
        self.tools = tools
        self.resources = resources
        self.name = name
        self.version = version
    }

    /// The server of `environment`'s tools, with the result files inside its roots as resources.
    public init(environment: ToolEnvironment, version: String) {
        self.init(tools: MLTool.catalogue(environment), resources: ResultFiles(roots: environment.roots), version: version)
    }

    /// A server with the tool handlers registered, not yet started.
    public func makeServer() async -> Server {
        let server = Server(name: name, version: version,
                            capabilities: .init(resources: resources.map { _ in .init(subscribe: false, listChanged: false) },
                                                tools: .init(listChanged: false)))
        let listed = tools.map { tool in
            Tool(name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema.mcpValue,
                 annotations: .init(title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: false, openWorldHint: false))
        }
        let byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: listed) }
        // Weak: the server keeps the handler, so the handler must not keep the server.
        let notifier = WeakServer(server: server)
        await server.withMethodHandler(CallTool.self) { parameters in
            guard let tool = byName[parameters.name] else {
                return CallTool.Result(content: [Self.text("unknown tool '\(parameters.name)'; this server has "
                                                             + byName.keys.sorted().joined(separator: ", "))], isError: true)
            }
            let token = parameters._meta?.progressToken
            let progress = ToolProgress { done, total, message in
                guard let token, let server = notifier.server else { return }
                try? await server.notify(ProgressNotification.message(
                    .init(progressToken: token, progress: done, total: total, message: message)))
            }
            let arguments = (parameters.arguments ?? [:]).mapValues(JSONValue.init(mcp:))
            do {
                let output = try await tool.call(arguments, progress: progress)
                return CallTool.Result(content: [Self.text(output.text)], structuredContent: output.structured.mcpValue as Value?,
                                       isError: false)
            } catch is CancellationError {
                // Cancelled by the client: the SDK sends no reply, as the protocol asks.
                throw CancellationError()
            } catch {
                return CallTool.Result(content: [Self.text("\(error)")], isError: true)
            }
        }
        if let resources { await Self.register(resources, on: server) }
        return server
    }

    /// `resources/list`: every result file (newest first) and the latest report; `resources/read`: one's text.
    static func register(_ files: ResultFiles, on server: Server) async {
        await server.withMethodHandler(ListResources.self) { _ in
            let entries = files.list()
            var listed = entries.map { entry in
                Resource(name: (entry.path as NSString).lastPathComponent, uri: ResultFiles.uri(entry.path),
                         title: "\(entry.kind.rawValue): \((entry.path as NSString).lastPathComponent)",
                         description: "The \(entry.kind.rawValue) \(entry.path)", mimeType: entry.kind.mimeType, size: entry.size)
            }
            if let latest = entries.first(where: { $0.kind == .report }) {
                listed.insert(Resource(name: "latest-report", uri: ResultFiles.latestReportURI, title: "The latest report",
                                       description: "The newest report inside the roots (now \(latest.path))",
                                       mimeType: "text/html", size: latest.size), at: 0)
            }
            return ListResources.Result(resources: listed)
        }
        await server.withMethodHandler(ReadResource.self) { parameters in
            do {
                let (entry, text) = try files.read(uri: parameters.uri)
                return ReadResource.Result(contents: [.text(text, uri: parameters.uri, mimeType: entry.kind.mimeType)])
            } catch let error as ToolError {
                throw MCPError.invalidParams(error.message)
            }
        }
    }

    static func text(_ text: String) -> Tool.Content { .text(text: text, annotations: nil, _meta: nil) }

    /// Serves one client over standard input and output (what an assistant launches) until it closes them.
    public func runStdio(logger: Logger? = nil) async throws {
        let server = await makeServer()
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }
}

/// The server, held weakly by its own handlers.
private final class WeakServer: Sendable {
    weak let server: Server?
    init(server: Server) { self.server = server }
}
