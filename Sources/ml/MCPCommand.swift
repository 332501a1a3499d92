import ArgumentParser
import Foundation
import Inference
import Logging
import MLTools
import Workspace

/// `ml mcp`: swift-ml's tools for an AI assistant, over MCP on standard input and output.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve swift-ml's tools to an AI assistant over the Model Context Protocol (stdio).",
        discussion: """
            What an assistant launches: MCP messages on standard input and output, nothing else written there (logs \
            go to standard error). Tools read and write files only inside --root directories (default: the working \
            directory).
            """
    )

    @Option(help: "A directory the tools may read and write files in (repeatable; default: the working directory).")
    var root: [String] = []
    @Option(help: "The agent's score store that ml_status and ml_report read (default: $SWIFT_ML_HOME/agent/scores.sqlite).")
    var store: String?
    @Option(help: "The training-data workspace ml_status counts (a SQLite file or postgres:// URL; default: $SWIFT_ML_HOME/workspace.sqlite).")
    var workspace: String?

    func run() async throws {
        let roots = try FileRoots(root.isEmpty ? [FileManager.default.currentDirectoryPath] : root)
        let home = MLPaths().home
        let environment = ToolEnvironment(
            roots: roots, store: store ?? (home as NSString).appendingPathComponent("agent/scores.sqlite"),
            workspace: workspace ?? Workspace.defaultLocation(home: home))
        var logger = Logger(label: "ml.mcp") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        try await MCPToolServer(tools: MLTool.catalogue(environment), version: MLVersion.current).runStdio(logger: logger)
    }
}
