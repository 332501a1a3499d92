import ArgumentParser
import Foundation
import Inference
import MLTools
import Runs
import Workspace
import LocalModels

/// Where swift-ml's tools may touch files and what they read by default: `ml mcp` and `ml serve --mcp`.
struct ToolOptions: ParsableArguments {
    @Option(help: "A directory the tools may read and write files in (repeatable; default: the working directory).")
    var root: [String] = []
    @Option(help: "The agent's score store that ml_status and ml_report read (default: $SWIFT_ML_HOME/agent/scores.sqlite).")
    var store: String?
    @Option(help: "The training-data workspace ml_status counts (a SQLite file or postgres:// URL; default: $SWIFT_ML_HOME/workspace.sqlite).")
    var workspace: String?
    @Option(help: "Models ml_generate keeps loaded at once (the least recently used idle one is closed for another).")
    var maxModels: Int = 2
    @OptionGroup(title: "InfluxDB that ml_status reads (as ml agent's)") var influx: InfluxOptions
    @OptionGroup(title: "Judge (ml_score's judge suites, ml_probe's score)") var judge: JudgeSelection

    /// The tools' environment; `resident` models (the server's own) are served for their requests and stay the caller's.
    func environment(resident: [ModelRequest: any TextModel] = [:]) async throws -> ToolEnvironment {
        let home = MLPaths().home
        let environment = ProcessInfo.processInfo.environment
        let settings = try await AgentSettings.resolve(flags: influx.given, configFile: nil, needsAdapterBase: false,
                                                       environment: environment)
        return ToolEnvironment(
            roots: try FileRoots(root.isEmpty ? [FileManager.default.currentDirectoryPath] : root),
            store: store ?? (home as NSString).appendingPathComponent("agent/scores.sqlite"),
            workspace: workspace ?? Workspace.defaultLocation(home: home),
            backends: { ModelLoader.registry().all.map { BackendAvailability(name: $0.name, unavailableReason: $0.unavailableReason) } },
            models: ModelPool(limit: maxModels, resident: resident) { request in
                try await ModelLoader.load(path: request.model, options: LoadOptions(backend: request.backend))
            },
            judge: SharedJudge(settings: judge.settings) { printError("warning: " + $0) },
            influx: try AgentSetup.influxConfiguration(settings, environment: environment))
    }
}
