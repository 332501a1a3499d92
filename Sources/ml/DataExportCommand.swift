import ArgumentParser
import DataPipeline
import Foundation
import SafeFiles

/// `ml data export --output DIR [--seed N] [--split 0.8,0.1,0.1]`
struct DataExportCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the golden set as train/valid/test chat JSON lines (mlx_lm.lora's format) and a manifest.",
        discussion: """
            Rows are sorted by id and shuffled by Fisher-Yates with SplitMix64(--seed); manifest.json records counts, \
            sources, seed and SHA-256 of each file. The directory is replaced as one set (written beside it, then \
            swapped in), so an interrupted export leaves the earlier one whole; a directory holding other files, or \
            the workspace, is refused.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The directory to write train.jsonl, valid.jsonl, test.jsonl and manifest.json into.") var output: String
    @Option(help: "The shuffle's seed.") var seed: UInt64 = 42
    @Option(help: "Train, valid and test fractions.") var split: String = "0.8,0.1,0.1"

    var fileInputs: [(name: String, path: String)] { Self.files([("--workspace", workspace.location)]) }
    var fileOutputs: [FileOutput] { [.directory(flag: "--output", path: output, owned: DataExporter.fileNames)] }

    func run() async throws {
        try checkOutputs()
        let ratios: SplitRatios
        do {
            ratios = try SplitRatios(parsing: split)
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        let manifest = try await withWorkspace(workspace) { store in
            try await DataExporter.run(store: store, directory: output, seed: seed, split: ratios)
        }
        print("exported \(manifest.counts["total"] ?? 0) rows: train \(manifest.counts["train"] ?? 0), "
              + "valid \(manifest.counts["valid"] ?? 0), test \(manifest.counts["test"] ?? 0) → \(output)")
    }
}
