import ArgumentParser

/// The `ml` command: a thin layer over the swift-ml libraries.
@main
struct MLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Run, judge and serve language models.",
        version: MLVersion.current,
        subcommands: [
            GenerateCommand.self, ChatCommand.self, ServeCommand.self, ModelsCommand.self, ConvertCommand.self,
            InspectCommand.self, BackendsCommand.self, ScoreCommand.self, ProbeCommand.self, CompareCommand.self, AgentCommand.self,
            IngestCommand.self, DataCommand.self, WorkerCommand.self,
            ReportCommand.self,
            VersionCommand.self,
        ]
    )
}
