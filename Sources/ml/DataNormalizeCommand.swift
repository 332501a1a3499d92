import ArgumentParser
import DataPipeline
import Foundation

/// `ml data normalize [--min-length N]`
struct DataNormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Turn de-duplicated seeds into prompts to expand, thinnest domains first.",
        discussion: "Drops seeds shorter than --min-length characters and those already queued, answered or golden."
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "Shortest seed kept, in characters of normalized text.") var minLength: Int = 10

    func run() async throws {
        let report = try await withWorkspace(workspace) { store in
            try await Normalizer.run(store: store, minLength: minLength)
        }
        print("\(report.seeds) seeds: \(report.queued) queued, \(report.duplicates) duplicates, \(report.tooShort) too short, "
              + "\(report.alreadyQueuedOrAnswered) already queued or answered, \(report.inGolden) in the golden set")
    }
}
