import ArgumentParser
import DataPipeline
import Foundation
import LocalModels
import SafeFiles

/// `ml data export --output DIR [--seed N] [--split 0.8,0.1,0.1] [--format jsonl|parquet] [--license ID]`
struct DataExportCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the golden set as train/valid/test chat JSON lines (mlx_lm.lora's format) or Parquet, and a manifest.",
        discussion: """
            Rows are sorted by id and shuffled by Fisher-Yates with SplitMix64(--seed); manifest.json records counts, \
            sources, seed and SHA-256 of each file. The directory is replaced as one set (written beside it, then \
            swapped in), so an interrupted export leaves the earlier one whole; a directory holding other files, or \
            the workspace, is refused.

            --format parquet writes the same rows in the same order as the reference's Parquet files (columns \
            prompt, response, system, messages; Snappy; train.parquet, valid.parquet, test.parquet, a split without \
            rows having no file) through the real DuckDB engine in $SWIFT_ML_HOME/venv, and a Hugging Face dataset \
            card README.md (license from --license) for ml data publish.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The directory to write the split files and manifest.json into.") var output: String
    @Option(help: "The shuffle's seed.") var seed: UInt64 = 42
    @Option(help: "Train, valid and test fractions.") var split: String = "0.8,0.1,0.1"
    @Option(help: "jsonl (chat JSON lines) or parquet (with a dataset card).") var format: String = "jsonl"
    @Option(help: "The dataset card's license, a Hub license identifier (parquet only).") var license: String = "other"

    var fileInputs: [(name: String, path: String)] { Self.files([("--workspace", workspace.location)]) }
    var fileOutputs: [FileOutput] { [.directory(flag: "--output", path: output, owned: DataExporter.fileNames)] }

    func run() async throws {
        try checkOutputs()
        let ratios: SplitRatios
        let exportFormat: ExportFormat
        do {
            ratios = try SplitRatios(parsing: split)
            exportFormat = try Self.exportFormat(format, license: license)
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        let manifest = try await withWorkspace(workspace) { store in
            try await DataExporter.run(store: store, directory: output, seed: seed, split: ratios, format: exportFormat)
        }
        print("exported \(manifest.counts["total"] ?? 0) rows: train \(manifest.counts["train"] ?? 0), "
              + "valid \(manifest.counts["valid"] ?? 0), test \(manifest.counts["test"] ?? 0) → \(output)")
    }

    /// `--format` and `--license` as an export format.
    static func exportFormat(_ format: String, license: String) throws -> ExportFormat {
        switch format {
        case "jsonl": return .jsonLines
        case "parquet":
            try DatasetCard.validateLicense(license)
            return .parquet(ParquetExportSettings(
                python: ToolsPython.default(home: MLPaths().home), license: license, toolVersion: MLVersion.current))
        default:
            throw DataPipelineError(.invalidArgument, "--format '\(format)': expected jsonl or parquet")
        }
    }
}
