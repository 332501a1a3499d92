import ArgumentParser
import Logging
import MLTools

/// `ml mcp`: swift-ml's tools for an AI assistant, over MCP on standard input and output.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve swift-ml's tools to an AI assistant over the Model Context Protocol (stdio).",
        discussion: """
            What an assistant launches: MCP messages on standard input and output, nothing else written there (logs \
            go to standard error). Tools read and write files only inside --root directories (default: the working \
            directory). `ml serve --mcp` serves the same tools over HTTP at /mcp.
            """
    )

    @OptionGroup var tools: ToolOptions

    func run() async throws {
        var logger = Logger(label: "ml.mcp") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let environment = try await tools.environment()
        let server = MCPToolServer(environment: environment, version: MLVersion.current)
        do {
            try await server.runStdio(logger: logger)
        } catch {
            await environment.close()
            throw error
        }
        await environment.close()
    }
}
