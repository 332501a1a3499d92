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

/// `ml data export`: the golden set as `train.jsonl`, `valid.jsonl`, `test.jsonl` in chat format
/// (`{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`, what `mlx_lm.lora` reads) and
/// `manifest.json`, written as one set (``AtomicDirectory``: an earlier export in the directory is replaced whole
/// or not at all); the export is recorded in the workspace.
package enum DataExporter {
    /// The files an export writes: the only ones an existing export directory may hold.
    package static let fileNames: Set<String> = ["train.jsonl", "valid.jsonl", "test.jsonl", "manifest.json"]

    package static func run(store: any WorkspaceStore, directory: String, seed: UInt64, split: SplitRatios)
        async throws -> ExportManifest
    {
        // Before anything is read: the directory is replaced whole, so it may not hold the workspace or other files.
        let inputs = store.engine == .sqlite ? [(name: "--workspace", path: store.location)] : []
        try OutputCheck.require([.directory(flag: "--output", path: directory, owned: fileNames)], distinctFrom: inputs)
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var files: [ExportManifest.File] = []
        var contents: [(name: String, data: Data)] = []
        for (name, part) in parts {
            var data = Data()
            for row in part {
                data += try encoder.encode(ChatRow(messages: [
                    ChatRow.Message(role: "user", content: row.prompt),
                    ChatRow.Message(role: "assistant", content: row.response),
                ]))
                data += Data("\n".utf8)
            }
            let fileName = "\(name).jsonl"
            contents.append((fileName, data))
            files.append(ExportManifest.File(name: fileName, rows: part.count, sha256: FileDigest.sha256Hex(data)))
        }
        var sources: [String: Int] = [:]
        for row in rows {
            let source = row.source.hasPrefix("answer:") ? row.source : String(row.source.split(separator: ":").first ?? "")
            sources[source, default: 0] += 1
        }
        let id = UUID().uuidString.lowercased()
        let manifest = ExportManifest(
            id: id, createdAt: ISO8601DateFormatter().string(from: Date()), workspace: store.location, seed: seed,
            split: split,
            shuffle: "rows sorted by id, then Fisher-Yates driven by SplitMix64(seed); train, valid, test in that order",
            format: "chat JSON lines: {\"messages\": [user, assistant]}",
            counts: ["train": counts.train, "valid": counts.valid, "test": counts.test, "total": rows.count],
            sources: sources, files: files)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let manifestData = try pretty.encode(manifest)
        contents.append(("manifest.json", manifestData))
        try await AtomicDirectory.replace(folder) { temporary in
            for (name, data) in contents {
                let path = temporary.appendingPathComponent(name).path
                guard FileManager.default.createFile(atPath: path, contents: data) else {
                    throw SafeFileError(.io, "cannot write '\(path)' (for '\(directory)/\(name)')")
                }
            }
        }
        let countsJSON = String(decoding: try encoder.encode(manifest.counts), as: UTF8.self)
        try await store.recordExport(
            id: id, directory: folder.path, seed: seed, split: "\(split.train),\(split.valid),\(split.test)",
            counts: countsJSON, manifestSHA256: FileDigest.sha256Hex(manifestData))
        return manifest
    }

    struct ChatRow: Codable {
        struct Message: Codable {
            var role: String
            var content: String
        }

        var messages: [Message]
    }
}
