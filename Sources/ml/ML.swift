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
            ReportCommand.self, MCPCommand.self, StatusCommand.self,
            VersionCommand.self,
        ]
    )

    /// Parses and runs the command. What a command throws that is not the argument parser's own (usage errors, exit
    /// statuses) is printed as `error: …` and exits 1: a command throws the library's error instead of printing it.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error where error is ExitCode || error is CleanExit || error is ValidationError
                    || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // `--help` and `ml help …` parse into the argument parser's help command, whose run() throws the
            // parser's own internal error type for exit(withError:) to print as the help text.
            exit(withError: error)
        } catch {
            printError("error: \(error)")
            exit(withError: ExitCode.failure)
        }
    }
}
