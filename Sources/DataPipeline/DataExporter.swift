import Foundation
import ModelFormats
import SafeFiles
import Workspace

/// Train / valid / test fractions, e.g. `0.8,0.1,0.1`.
package struct SplitRatios: Sendable, Codable, Hashable {
    package var train: Double
    package var valid: Double
    package var test: Double

    package init(train: Double, valid: Double, test: Double) {
        self.train = train
        self.valid = valid
        self.test = test
    }

    /// Parses `TRAIN,VALID,TEST`: three non-negative numbers summing to 1 (± 0.001).
    package init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let train = parts[0], let valid = parts[1], let test = parts[2],
              train >= 0, valid >= 0, test >= 0, abs(train + valid + test - 1) < 0.001
        else {
            throw DataPipelineError(.invalidArgument, "--split '\(text)': three non-negative fractions summing to 1 expected, e.g. 0.8,0.1,0.1")
        }
        self.init(train: train, valid: valid, test: test)
    }

    /// Rows per split for `count` rows: valid and test rounded, train the rest; a split with a non-zero fraction
    /// gets at least one row while rows remain for train (mlx_lm.lora needs a non-empty valid set).
    package func counts(_ count: Int) -> (train: Int, valid: Int, test: Int) {
        var valid = Int((Double(count) * self.valid).rounded())
        var test = Int((Double(count) * self.test).rounded())
        if self.valid > 0 && valid == 0 && count >= 2 { valid = 1 }
        if self.test > 0 && test == 0 && count >= 3 { test = 1 }
        while valid + test > count { if test > 0 { test -= 1 } else { valid -= 1 } }
        return (count - valid - test, valid, test)
    }
}

/// The manifest written beside an export: what it holds and where every row came from.
package struct ExportManifest: Sendable, Codable {
    package struct File: Sendable, Codable {
        package var name: String
        package var rows: Int
        package var sha256: String
    }

    package var id: String
    package var createdAt: String
    package var workspace: String
    package var seed: UInt64
    package var split: SplitRatios
    package var shuffle: String
    package var format: String
    package var counts: [String: Int]
    /// Rows per source (the import file, or `answer:MODEL` for approved answers).
    package var sources: [String: Int]
    package var files: [File]
}

/// The format of an export's split files.
package enum ExportFormat: Sendable {
    /// `train.jsonl`, `valid.jsonl`, `test.jsonl`: chat JSON lines.
    case jsonLines
    /// `train.parquet`, `valid.parquet`, `test.parquet` (a split with no rows has no file), Snappy-compressed,
    /// written by DuckDB, and the dataset card `README.md`.
    case parquet(ParquetExportSettings)
}

/// What a Parquet export needs beyond the rows: the engine and the card's facts.
package struct ParquetExportSettings: Sendable {
    package var python: ToolsPython
    /// The card's license (a Hub license identifier, see ``DatasetCard/validateLicense(_:)``).
    package var license: String
    /// swift-ml's version, named in the card.
    package var toolVersion: String

    package init(python: ToolsPython, license: String, toolVersion: String) {
        self.python = python
        self.license = license
        self.toolVersion = toolVersion
    }
}

/// `ml data export`: the golden set as `train.jsonl`, `valid.jsonl`, `test.jsonl` in chat format
/// (`{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`, what `mlx_lm.lora` reads) — or, with
/// ``ExportFormat/parquet(_:)``, the same rows in the same order as the reference's Parquet files and a dataset
/// card — and `manifest.json`, written as one set (``AtomicDirectory``: an earlier export in the directory is
/// replaced whole or not at all); the export is recorded in the workspace.
package enum DataExporter {
    /// The files an export writes, in either format: the only ones an existing export directory may hold.
    package static let fileNames: Set<String> = [
        "train.jsonl", "valid.jsonl", "test.jsonl", "manifest.json", "train.parquet", "valid.parquet", "test.parquet",
        "README.md",
    ]

    package static func run(store: any WorkspaceStore, directory: String, seed: UInt64, split: SplitRatios,
                            format: ExportFormat = .jsonLines) async throws -> ExportManifest
    {
        // Before anything is read: the directory is replaced whole, so it may not hold the workspace or other files.
        let inputs = store.engine == .sqlite ? [(name: "--workspace", path: store.location)] : []
        try OutputCheck.require([.directory(flag: "--output", path: directory, owned: fileNames)], distinctFrom: inputs)
        if case .parquet(let settings) = format { try DatasetCard.validateLicense(settings.license) }
        let golden = try await store.golden()
        guard !golden.isEmpty else { throw DataPipelineError(.nothingToDo, "the golden set is empty: nothing to export") }
        let rows = SeededShuffle.shuffled(golden.sorted { $0.id < $1.id }, seed: seed)
        let counts = split.counts(rows.count)
        let parts: [(String, ArraySlice<GoldenRecord>)] = [
            ("train", rows[0..<counts.train]),
            ("valid", rows[counts.train..<(counts.train + counts.valid)]),
            ("test", rows[(counts.train + counts.valid)...]),
        ]
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw SafeFileError(.io, "cannot create the directory of '\(directory)': \(error.localizedDescription)", underlying: error)
        }
        var sources: [String: Int] = [:]
        for row in rows {
            let source = row.source.hasPrefix("answer:") ? row.source : String(row.source.split(separator: ":").first ?? "")
            sources[source, default: 0] += 1
        }
        let id = UUID().uuidString.lowercased()
        var manifest = ExportManifest(
            id: id, createdAt: ISO8601DateFormatter().string(from: Date()), workspace: Workspace.printable(store.location),
            seed: seed,
            split: split,
            shuffle: "rows sorted by id, then Fisher-Yates driven by SplitMix64(seed); train, valid, test in that order",
            format: "chat JSON lines: {\"messages\": [user, assistant]}",
            counts: ["train": counts.train, "valid": counts.valid, "test": counts.test, "total": rows.count],
            sources: sources, files: [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var approvalRules: [String: Int] = [:]
        if case .parquet = format { approvalRules = try await Self.approvalRules(store) }
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var manifestData = Data()
        try await AtomicDirectory.replace(folder) { temporary in
            func write(_ name: String, _ data: Data, rows: Int) throws {
                let path = temporary.appendingPathComponent(name).path
                guard FileManager.default.createFile(atPath: path, contents: data) else {
                    throw SafeFileError(.io, "cannot write '\(path)' (for '\(directory)/\(name)')")
                }
                manifest.files.append(ExportManifest.File(name: name, rows: rows, sha256: FileDigest.sha256Hex(data)))
            }
            switch format {
            case .jsonLines:
                for (name, part) in parts {
                    var data = Data()
                    for row in part {
                        data += try encoder.encode(ChatRow(messages: [
                            ChatRow.Message(role: "user", content: row.prompt),
                            ChatRow.Message(role: "assistant", content: row.response),
                        ]))
                        data += Data("\n".utf8)
                    }
                    try write("\(name).jsonl", data, rows: part.count)
                }
            case .parquet(let settings):
                manifest.format = "Parquet (Snappy), columns prompt, response, system, messages (the chat as JSON); "
                    + "a split without rows has no file"
                try await writeParquet(parts, into: temporary, settings: settings, manifest: &manifest,
                                       approvalRules: approvalRules, workspace: Self.publicName(store))
            }
            manifestData = try pretty.encode(manifest)
            let path = temporary.appendingPathComponent("manifest.json").path
            guard FileManager.default.createFile(atPath: path, contents: manifestData) else {
                throw SafeFileError(.io, "cannot write '\(path)' (for '\(directory)/manifest.json')")
            }
        }
        let countsJSON = String(decoding: try encoder.encode(manifest.counts), as: UTF8.self)
        try await store.recordExport(
            id: id, directory: folder.path, seed: seed, split: "\(split.train),\(split.valid),\(split.test)",
            counts: countsJSON, manifestSHA256: FileDigest.sha256Hex(manifestData))
        return manifest
    }

    /// The Parquet splits (rows staged as JSON lines in a scratch directory, converted by DuckDB), their digests,
    /// and the card.
    static func writeParquet(
        _ parts: [(String, ArraySlice<GoldenRecord>)], into temporary: URL, settings: ParquetExportSettings,
        manifest: inout ExportManifest, approvalRules: [String: Int], workspace: String
    ) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ml-parquet-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw SafeFileError(.io, "cannot create a scratch directory: \(error.localizedDescription)", underlying: error)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var conversions: [(input: URL, output: URL)] = []
        var written: [(name: String, file: String, rows: Int)] = []
        for (name, part) in parts where !part.isEmpty {
            let staged = scratch.appendingPathComponent("\(name).jsonl")
            let writer = try AtomicFileWriter(path: staged.path)
            for row in part {
                try writer.write(try encoder.encode(ParquetRow(golden: row)))
                try writer.write(Data("\n".utf8))
            }
            try writer.commit()
            let file = "\(name).parquet"
            conversions.append((staged, temporary.appendingPathComponent(file)))
            written.append((name, file, part.count))
        }
        try await ParquetWriter(python: settings.python).write(conversions)
        var splits: [DatasetCard.Split] = []
        for entry in written {
            let path = temporary.appendingPathComponent(entry.file).path
            let digest = try FileDigest.sha256Hex(fileAt: path)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            manifest.files.append(ExportManifest.File(name: entry.file, rows: entry.rows, sha256: digest))
            splits.append(DatasetCard.Split(name: entry.name, file: entry.file, rows: entry.rows, bytes: bytes))
        }
        let card = DatasetCard(
            license: settings.license, splits: splits, workspace: workspace, seed: manifest.seed, ratios: manifest.split,
            shuffle: manifest.shuffle, sources: manifest.sources, approvalRules: approvalRules,
            toolVersion: settings.toolVersion, createdAt: manifest.createdAt)
        let cardData = Data(card.text.utf8)
        let cardPath = temporary.appendingPathComponent("README.md").path
        guard FileManager.default.createFile(atPath: cardPath, contents: cardData) else {
            throw SafeFileError(.io, "cannot write '\(cardPath)'")
        }
        manifest.files.append(ExportManifest.File(name: "README.md", rows: 0, sha256: FileDigest.sha256Hex(cardData)))
    }

    /// The approval rule sets behind the golden rows that came from approved answers, with their row counts.
    static func approvalRules(_ store: any WorkspaceStore) async throws -> [String: Int] {
        try await store.read { tx in
            var rules: [String: Int] = [:]
            for row in try await tx.rows("""
                SELECT a.rule, COUNT(*) FROM golden g JOIN approvals a ON a.prompt_id = g.prompt_id
                WHERE a.approved = 1 GROUP BY a.rule
                """, [])
            {
                if let rule = row.values[0].string { rules[rule] = row.values[1].int ?? 0 }
            }
            return rules
        }
    }

    /// The workspace as a published card may name it: the engine and the file or database name, no path or host.
    static func publicName(_ store: any WorkspaceStore) -> String {
        switch store.engine {
        case .sqlite: "a SQLite workspace (\(URL(fileURLWithPath: store.location).lastPathComponent))"
        default: "a PostgreSQL workspace (database \(URL(string: store.location)?.lastPathComponent ?? "?"))"
        }
    }

    struct ChatRow: Codable {
        struct Message: Codable {
            var role: String
            var content: String
        }

        var messages: [Message]
    }
}
