import ArgumentParser
import Evaluation

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two score files: per-model, per-metric averages side by side with deltas."
    )

    @Argument(help: "The older score file.") var old: String
    @Argument(help: "The newer score file.") var new: String

    func run() async throws {
        do {
            print(try ScoreComparison(oldPath: old, newPath: new).table(), terminator: "")
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
