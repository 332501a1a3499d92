import ArgumentParser
import DataPipeline
import Foundation
import LocalModels
import SafeFiles

/// `ml data import --kind seeds|prompts|golden FILE…` or `ml data import --duckdb FILE`
struct DataImportCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import seeds, prompts or golden rows from JSON lines or CSV, or the reference's DuckDB file (idempotent: stable ids).",
        discussion: """
            A row is {"id"?, "prompt", "region"?, "domain"?, "voice"?}; golden rows add "response". CSV files \
            (.csv) have a header row with these names. Rows without an id get the hash of their normalized prompt. \
            Lines may end in LF or CRLF. Bad rows (not JSON, not UTF-8, a NUL character, an id that is not a string \
            or an integer, an id already stored with different content) are named with file and line and skipped; \
            a file that cannot be read is named and the other files are still imported; the exit status is 1 if \
            anything was skipped.

            --duckdb FILE reads the reference toolkit's DuckDB file through the real DuckDB engine (the duckdb \
            package in $SWIFT_ML_HOME/venv, or $SWIFT_ML_TOOLS_PYTHON): its seeds, expansion_prompts (pending ones; \
            priority negated, the reference answering the lowest first) and golden_set tables, ids from the prompt \
            as above. A missing table is a note; tables without a workspace counterpart are named as left out; bad \
            rows are named by table and row number and make the exit status 1.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "What the files hold: seeds, prompts or golden.") var kind: String?
    @Option(help: "The reference's DuckDB file to import instead of FILEs.") var duckdb: String?
    @Argument(help: "JSON-lines or CSV files.") var files: [String] = []

    var fileInputs: [(name: String, path: String)] { Self.files("FILE", files) + Self.files([("--duckdb", duckdb)]) }
    var fileOutputs: [FileOutput] {
        Self.files([("--workspace", workspace.location)]).map { .file(flag: $0.name, path: $0.path) }
    }

    func validate() throws {
        if duckdb != nil {
            guard kind == nil, files.isEmpty else { throw ValidationError("--duckdb imports its own tables: give no --kind and no FILE") }
        } else if kind == nil || files.isEmpty {
            throw ValidationError("give --kind and FILEs, or --duckdb FILE")
        }
    }

    func run() async throws {
        try checkOutputs()
        if let duckdb { return try await importDuckDB(duckdb) }
        guard let kindName = kind, let kind = ImportKind(rawValue: kindName) else {
            printError("error: --kind '\(kind ?? "")': expected seeds, prompts or golden")
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

    func importDuckDB(_ file: String) async throws {
        let python = ToolsPython.default(home: MLPaths().home)
        let report = try await withWorkspace(workspace) { store in
            try await DuckDBImporter.run(file: file, into: store, python: python)
        }
        for note in report.notes { print("note: \(note)") }
        for table in report.tables {
            for problem in table.report.problems { printError("skipped \(problem)") }
            let r = table.report
            var line = "\(table.name) → \(table.kind.rawValue): \(r.read) rows read, \(r.inserted) new, "
                + "\(r.alreadyPresent) already present, \(r.conflicts) conflicting, \(r.problems.count) skipped"
            for (reason, count) in table.leftOut.sorted(by: { $0.key < $1.key }) { line += ", \(count) left out (\(reason))" }
            print(line)
        }
        if report.inserted == 0 && report.problems.isEmpty {
            print("nothing new: the workspace already holds every usable row of \(file)")
        }
        if !report.problems.isEmpty { throw ExitCode.failure }
    }
}
