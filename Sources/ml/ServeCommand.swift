import ArgumentParser
import Foundation
import HTTPStreaming
import Inference
import MLTools
import SafeFiles
import Serving
import OpenAIBackend

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model through the OpenAI HTTP API.",
        discussion: """
            Serves the default local model unless --model GGUF or --url URL is given. Binds 127.0.0.1:8090 by default;
            binding another address without an API key prints a warning. Requests are answered only when their Host is
            localhost, 127.0.0.1, [::1], the bind address or an --allow-host name (421 otherwise: DNS rebinding).
            SIGTERM/SIGINT stop gracefully: requests in
            flight get --drain-timeout seconds, then end with an error the client can see.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT.") var bind = "127.0.0.1:8090"
    @Option(help: "A GGUF file to serve, an MLX directory with --backend mlx (or, with --url, the upstream model name).") var model: String?
    @OptionGroup var backend: BackendOptions
    @Option(help: "Serve an upstream OpenAI-compatible server instead of a local model.") var url: String?
    @Option(help: "API key for the upstream --url server (default: $OPENAI_API_KEY).") var upstreamApiKey: String?
    @Option(help: "Require this bearer key from clients (default: $ML_API_KEY).") var apiKey: String?
    @Option(help: "Generations served at once; more get 429 (default: 4 × the model's capacity).") var maxConcurrent: Int?
    @Option(help: "Upper bound of max_tokens per request.") var maxTokens: Int = 2048
    @Option(help: "Largest request body in bytes.") var maxBody: Int = 1 << 20
    @Option(help: "Allow this origin (CORS).") var cors: String?
    @Option(name: .customLong("allow-host"),
            help: "Also answer requests for this host name (repeatable); by default only localhost, 127.0.0.1, [::1] and the bind address.")
    var allowHosts: [String] = []
    @Option(help: "Seconds in-flight requests may run after SIGTERM/SIGINT; then they end with an error (503, or an error event and [DONE]).")
    var drainTimeout: Double = 10
    @Flag(help: "Also serve swift-ml's tools over MCP (streamable HTTP) at /mcp, behind the same key and Host rule.")
    var mcp = false
    @OptionGroup(title: "Tools (/v1/ml and --mcp)") var tools: ToolOptions

    func validate() throws {
        guard drainTimeout >= 0, drainTimeout <= 86_400 else { throw ValidationError("--drain-timeout must be 0...86400 seconds") }
    }

    func run() async throws {
        let (host, port) = try Self.parseBind(bind)
        let environment = ProcessInfo.processInfo.environment
        // The upstream takes what clients may send at once (--max-concurrent); by default 16, reported when reached.
        let remote = url.map {
            Backends.Remote(urls: [$0], apiKey: upstreamApiKey ?? environment["OPENAI_API_KEY"],
                            configuration: StreamingHTTPConfiguration(concurrency: maxConcurrent ?? 16) {
                                printError("warning: upstream \($0)")
                            })
        }
        let textModel = try await Backends.load(path: model, options: backend.loadOptions, environment: environment, remote: remote,
                                            onEvent: { printError("ml serve: \($0)") })
        let modelID = url == nil ? textModel.info.id : (model ?? "default")
        let configuration = ServerConfiguration(
            host: host,
            port: port,
            apiKey: apiKey ?? environment["ML_API_KEY"],
            maxConcurrent: maxConcurrent ?? max(4, textModel.capacity * 4),
            maxTokens: maxTokens,
            maxBodyBytes: maxBody,
            corsOrigin: cors,
            drainTimeout: .milliseconds(Int64(drainTimeout * 1000)),
            allowedHosts: allowHosts
        )
        if let warning = configuration.securityWarning { printError(warning) }
        // The served model answers the tools' calls for the default model and for itself: no second copy is loaded.
        let servedBackend = url != nil ? "openai" : backend.backend
        var resident = [ModelRequest(backend: servedBackend, model: nil): textModel]
        if let model { resident[ModelRequest(backend: servedBackend, model: url != nil ? model : FileIdentity.resolvedPath(model))] = textModel }
        let toolEnvironment = try await tools.environment(resident: resident)
        let rest = MLRestAPI(environment: toolEnvironment, model: textModel, modelID: modelID,
                             backendName: servedBackend, maxBodyBytes: maxBody, maxTokens: maxTokens)
        var extensions = [rest.routeExtension()]
        if mcp {
            let tools = MCPToolServer(environment: toolEnvironment, version: MLVersion.current)
            extensions.append(MCPHTTPEndpoint(tools: tools, maxBodyBytes: maxBody).routeExtension())
        }
        let server = OpenAIServer(model: textModel, modelID: modelID, configuration: configuration, extensions: extensions)
        do {
            try await server.run { port in
                printError("serving \(modelID) on http://\(host):\(port) (OpenAI API at /v1, swift-ml's at /v1/ml, chat page at /"
                           + (mcp ? ", MCP at /mcp)" : ")"))
            }
        } catch {
            await rest.jobs.cancelAll()
            await toolEnvironment.close()
            throw error
        }
        await rest.jobs.cancelAll()
        await toolEnvironment.close()
    }

    static func parseBind(_ bind: String) throws -> (String, Int) {
        guard let colon = bind.lastIndex(of: ":"), let port = Int(bind[bind.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--bind must be HOST:PORT, e.g. 127.0.0.1:8090")
        }
        var host = String(bind[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
