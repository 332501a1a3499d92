import ArgumentParser
import DataPipeline
import Foundation
import SafeFiles

/// `ml data import --kind seeds|prompts|golden FILE…`
struct DataImportCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import seeds, prompts or golden rows from JSON lines or CSV (idempotent: stable ids).",
        discussion: """
            A row is {"id"?, "prompt", "region"?, "domain"?, "voice"?}; golden rows add "response". CSV files \
            (.csv) have a header row with these names. Rows without an id get the hash of their normalized prompt. \
            Lines may end in LF or CRLF. Bad rows (not JSON, not UTF-8, a NUL character, an id that is not a string \
            or an integer, an id already stored with different content) are named with file and line and skipped; \
            a file that cannot be read is named and the other files are still imported; the exit status is 1 if \
            anything was skipped.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "What the files hold: seeds, prompts or golden.") var kind: String
    @Argument(help: "JSON-lines or CSV files.") var files: [String]

    var fileInputs: [(name: String, path: String)] { Self.files("FILE", files) }
    var fileOutputs: [FileOutput] {
        Self.files([("--workspace", workspace.location)]).map { .file(flag: $0.name, path: $0.path) }
    }

    func run() async throws {
        try checkOutputs()
        guard let kind = ImportKind(rawValue: kind) else {
            printError("error: --kind '\(kind)': expected seeds, prompts or golden")
            throw ExitCode.validationFailure
        }
        let report = try await withWorkspace(workspace) { store in
            try await DataImporter.run(kind: kind, files: files, into: store)
        }
        for problem in report.problems { printError("skipped \(problem)") }
        print("\(kind.rawValue): \(report.read) rows read, \(report.inserted) new, \(report.alreadyPresent) already present, "
              + "\(report.conflicts) conflicting, \(report.problems.count) skipped")
        if !report.problems.isEmpty { throw ExitCode.failure }
    }
}
