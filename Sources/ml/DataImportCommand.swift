import ArgumentParser
import DataPipeline
import Foundation

/// `ml data import --kind seeds|prompts|golden FILE…`
struct DataImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import seeds, prompts or golden rows from JSON lines or CSV (idempotent: stable ids).",
        discussion: """
            A row is {"id"?, "prompt", "region"?, "domain"?, "voice"?}; golden rows add "response". CSV files \
            (.csv) have a header row with these names. Rows without an id get the hash of their normalized prompt. \
            Bad rows are named with file and line and skipped; the exit status is 1 if there were any.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "What the files hold: seeds, prompts or golden.") var kind: String
    @Argument(help: "JSON-lines or CSV files.") var files: [String]

    func run() async throws {
        guard let kind = ImportKind(rawValue: kind) else {
            printError("error: --kind '\(kind)': expected seeds, prompts or golden")
            throw ExitCode.validationFailure
        }
        let report = try await withWorkspace(workspace) { store in
            try await DataImporter.run(kind: kind, files: files, into: store)
        }
        for problem in report.problems { printError("skipped \(problem)") }
        print("\(kind.rawValue): \(report.read) rows read, \(report.inserted) new, \(report.alreadyPresent) already present, "
              + "\(report.problems.count) skipped")
        if !report.problems.isEmpty { throw ExitCode.failure }
    }
}
