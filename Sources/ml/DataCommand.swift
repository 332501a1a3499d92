import ArgumentParser
import Inference
import Foundation
import Workspace
import LocalModels

/// `ml data …`: the training-data pipeline over a workspace (import → normalize → expand → score → approve →
/// export, and read-only views).
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Build training data: seeds → prompts → answers → scores → golden set → train/valid/test.",
        subcommands: [
            DataImportCommand.self, DataNormalizeCommand.self, DataExpandCommand.self, DataScoreCommand.self,
            DataApproveCommand.self, DataExportCommand.self, DataPublishCommand.self, DataStatusCommand.self,
            DataInventoryCommand.self, DataCoverageCommand.self, DataQueryCommand.self,
        ]
    )
}

/// `--workspace PATH|postgres://…`, shared by every `ml data` command and `ml worker`.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: "The workspace: a SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: $SWIFT_ML_HOME/workspace.sqlite).")
    var workspace: String?

    var location: String { workspace ?? Workspace.defaultLocation(home: MLPaths().home) }

    /// Opens the workspace (migrating it unless `readOnly`).
    func open(readOnly: Bool = false) async throws -> any WorkspaceStore {
        try await Workspace.open(location, readOnly: readOnly)
    }
}

/// Runs `body` with the store and closes it after; errors are thrown on (cancellation exits 130).
func withWorkspace<T>(_ options: WorkspaceOptions, readOnly: Bool = false,
                      _ body: (any WorkspaceStore) async throws -> T) async throws -> T {
    let store = try await options.open(readOnly: readOnly)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch is CancellationError {
        await store.close()
        throw ExitCode(130)
    } catch {
        await store.close()
        throw error
    }
}
