import Foundation

/// The dataset card (`README.md`) written beside a Parquet export: the Hugging Face Hub's YAML header (license, task
/// categories, size category, one `default` config whose `data_files` name each split's file as `ml data publish`
/// uploads it, `data/SPLIT.parquet` as the reference lays a repository out, and `dataset_info` with the four string
/// features and each split's row count) and a body saying how the set was made.
package struct DatasetCard: Sendable {
    package struct Split: Sendable, Hashable {
        /// The Hub's split name (`train`, `validation`, `test`).
        package var name: String
        /// The local file (`valid.parquet`).
        package var file: String
        package var rows: Int
        package var bytes: Int

        package init(name: String, file: String, rows: Int, bytes: Int) {
            self.name = name
            self.file = file
            self.rows = rows
            self.bytes = bytes
        }
    }

    package var license: String
    package var splits: [Split]
    /// The workspace as the card may name it publicly: its engine and file or database name, no path or host.
    package var workspace: String
    package var seed: UInt64
    package var ratios: SplitRatios
    package var shuffle: String
    package var sources: [String: Int]
    /// Approval rule sets of the approved answers in the set, with how many rows each approved.
    package var approvalRules: [String: Int]
    package var toolVersion: String
    package var createdAt: String

    package init(license: String, splits: [Split], workspace: String, seed: UInt64, ratios: SplitRatios, shuffle: String,
                 sources: [String: Int], approvalRules: [String: Int], toolVersion: String, createdAt: String) {
        self.license = license
        self.splits = splits
        self.workspace = workspace
        self.seed = seed
        self.ratios = ratios
        self.shuffle = shuffle
        self.sources = sources
        self.approvalRules = approvalRules
        self.toolVersion = toolVersion
        self.createdAt = createdAt
    }

    /// The Hub's split name for an export split: `valid` is `validation` on the Hub.
    package static func hubSplitName(_ split: String) -> String { split == "valid" ? "validation" : split }

    /// Where `ml data publish` puts an export file in the repository: splits under `data/`, the rest at the root.
    package static func repositoryPath(_ file: String) -> String { file.hasSuffix(".parquet") ? "data/\(file)" : file }

    /// A Hub license identifier: lower-case letters, digits, `.`, `-`, `+` (`apache-2.0`, `cc-by-4.0`, `other`).
    package static func validateLicense(_ license: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-+")
        guard !license.isEmpty, license.count <= 64, license.allSatisfy(allowed.contains),
              license.first?.isLetter == true || license.first?.isNumber == true
        else {
            throw DataPipelineError(
                .invalidArgument, "--license '\(license)': a Hub license identifier expected (e.g. apache-2.0, cc-by-4.0, other)")
        }
    }

    /// The Hub's size category for a row count.
    package static func sizeCategory(_ rows: Int) -> String {
        let bounds: [(Int, String)] = [
            (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
            (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"),
        ]
        return bounds.first { rows < $0.0 }?.1 ?? "100M<n<1B"
    }

    package var totalRows: Int { splits.reduce(0) { $0 + $1.rows } }

    package var text: String {
        var yaml = ["---", "license: \(license)", "task_categories:", "- text-generation", "size_categories:",
                    "- \(Self.sizeCategory(totalRows))", "configs:", "- config_name: default", "  data_files:"]
        for split in splits {
            yaml += ["  - split: \(Self.hubSplitName(split.name))", "    path: \(Self.repositoryPath(split.file))"]
        }
        yaml += ["dataset_info:", "  features:"]
        for column in ParquetRow.columns { yaml += ["  - name: \(column)", "    dtype: string"] }
        yaml += ["  splits:"]
        for split in splits {
            yaml += ["  - name: \(Self.hubSplitName(split.name))", "    num_examples: \(split.rows)"]
        }
        yaml += ["  download_size: \(splits.reduce(0) { $0 + $1.bytes })", "---", ""]
        var body = [
            "# Training data exported by swift-ml", "",
            "Prompt and response pairs for supervised fine-tuning, one row per conversation: `prompt`, `response`, "
                + "`system` (empty) and `messages`, the conversation as a JSON string "
                + "(`[{\"role\": \"user\", …}, {\"role\": \"assistant\", …}]`).", "",
            "## Splits", "",
            "| split | file | rows |", "|---|---|---|",
        ]
        for split in splits {
            body.append("| \(Self.hubSplitName(split.name)) | `\(Self.repositoryPath(split.file))` | \(split.rows) |")
        }
        body += [
            "", "## How it was made", "",
            "Exported by `ml data export --format parquet` (swift-ml \(toolVersion)) on \(createdAt) from the golden set "
                + "of \(Self.plain(workspace)): \(totalRows) rows, seed \(seed), split "
                + "\(ratios.train)/\(ratios.valid)/\(ratios.test) (train/validation/test).",
            "", "Order: \(Self.plain(shuffle)).", "", "Rows by source:", "",
        ]
        for (source, count) in sources.sorted(by: { $0.key < $1.key }) { body.append("- `\(Self.plain(source))`: \(count)") }
        body += ["", "Approval: "]
        if approvalRules.isEmpty {
            body[body.count - 1] += "no row came from an approved model answer (every row was imported)."
        } else {
            body[body.count - 1] += "model answers entered the set through `ml data approve` under these rules:"
            body.append("")
            for (rule, count) in approvalRules.sorted(by: { $0.key < $1.key }) { body.append("- `\(Self.plain(rule))`: \(count) rows") }
        }
        body += ["", "The files' SHA-256 digests are in `manifest.json`.", ""]
        return (yaml + body).joined(separator: "\n")
    }

    /// Text for a code span or a line of the body: no backticks, no line breaks.
    static func plain(_ text: String) -> String {
        String(text.map { $0 == "`" ? "'" : ($0.isNewline ? " " : $0) })
    }
}
