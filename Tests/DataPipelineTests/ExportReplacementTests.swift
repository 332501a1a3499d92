import Crypto
import DataPipeline
import Foundation
import PostgresTestSupport
import SafeFiles
import Testing
import Workspace

/// An export over an earlier one replaces the whole set or nothing, and never replaces what it reads or files it did
/// not write (issue 25: defects 2 and 3; the kill -9 run is in scripts/tests/outputs.sh).
@Suite struct ExportReplacementTests {
    private func golden(_ count: Int, tag: String) -> [GoldenRecord] {
        (0..<count).map { GoldenRecord(id: "\(tag)\($0)", prompt: "Prompt \(tag) \($0)", response: "Answer \($0)", source: "t") }
    }

    /// The files of `directory` and whether the manifest's digests describe exactly them.
    private func consistent(_ directory: URL) throws -> Bool {
        let manifest = try JSONDecoder().decode(ExportManifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        let names = try Set(FileManager.default.contentsOfDirectory(atPath: directory.path))
        guard names == Set(manifest.files.map(\.name) + ["manifest.json"]) else { return false }
        return try manifest.files.allSatisfy { file in
            let data = try Data(contentsOf: directory.appendingPathComponent(file.name))
            return sha256(data) == file.sha256
        }
    }

    private func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aFailedReplacementLeavesTheEarlierSetWhole() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let target = files.directory.appendingPathComponent("export")
        try await AtomicDirectory.replace(target) { dir in
            for name in ["a", "b"] { try Data(name.utf8).write(to: dir.appendingPathComponent(name)) }
        }
        struct Interrupted: Error {}
        await #expect(throws: Interrupted.self) {
            try await AtomicDirectory.replace(target) { dir in
                try Data("new a".utf8).write(to: dir.appendingPathComponent("a"))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("a"), encoding: .utf8) == "a")
        #expect(try String(contentsOf: target.appendingPathComponent("b"), encoding: .utf8) == "b")
        // Nothing is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.directory.path) == ["export"])
        // A replacement with fewer files leaves none of the old ones behind.
        try await AtomicDirectory.replace(target) { dir in try Data("c".utf8).write(to: dir.appendingPathComponent("c")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["c"])
    }

    @Test func reExportingReplacesTheWholeSet() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let target = files.directory.appendingPathComponent("export")
        try await TestWorkspace.with(.sqlite) { workspace in
            try await workspace.store.insertGolden(golden(40, tag: "a"))
            _ = try await DataExporter.run(store: workspace.store, directory: target.path, seed: 1, split: .init(train: 0.8, valid: 0.1, test: 0.1))
            #expect(try consistent(target))
            try await workspace.store.insertGolden(golden(40, tag: "b"))
            let second = try await DataExporter.run(store: workspace.store, directory: target.path, seed: 2, split: .init(train: 0.5, valid: 0.25, test: 0.25))
            #expect(second.counts["total"] == 80)
            #expect(try consistent(target))
        }
    }

    /// Defect 3: `--workspace D/train.jsonl --output D` replaced the workspace with a JSON-lines file; and a
    /// directory holding other files, or a file where the directory should be, is refused before anything is read.
    @Test func anExportNeverReplacesItsWorkspaceOrForeignFiles() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let directory = files.directory.appendingPathComponent("D")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let workspacePath = directory.appendingPathComponent("train.jsonl").path
        let store = try await Workspace.open(workspacePath)
        try await store.insertGolden(golden(5, tag: "w"))
        let before = try Data(contentsOf: URL(fileURLWithPath: workspacePath))
        let error = await #expect(throws: SafeFileError.self) {
            _ = try await DataExporter.run(store: store, directory: directory.path, seed: 1, split: .init(train: 0.8, valid: 0.1, test: 0.1))
        }
        #expect(error?.code == .sameAsInput)
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspacePath)) == before)
        #expect(try await store.golden().count == 5)

        let foreign = files.directory.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let foreignError = await #expect(throws: SafeFileError.self) {
            _ = try await DataExporter.run(store: store, directory: foreign.path, seed: 1, split: .init(train: 0.8, valid: 0.1, test: 0.1))
        }
        #expect(foreignError?.code == .foreignFiles)
        #expect(foreignError?.message.contains("notes.txt") == true)

        let aFile = files.directory.appendingPathComponent("plain.txt")
        try Data("x".utf8).write(to: aFile)
        let fileError = await #expect(throws: SafeFileError.self) {
            _ = try await DataExporter.run(store: store, directory: aFile.path, seed: 1, split: .init(train: 0.8, valid: 0.1, test: 0.1))
        }
        #expect(fileError?.code == .notADirectory)
        #expect(try String(contentsOf: aFile, encoding: .utf8) == "x")
        await store.close()
    }
}
