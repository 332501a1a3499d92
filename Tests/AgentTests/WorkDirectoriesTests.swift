import Foundation
import Synchronization
import Testing
@testable import Agent

/// Both evaluators' per-checkpoint work folder: named after the checkpoint, known while in use, removed on every path.
@Suite struct WorkDirectoriesTests {
    static let checkpoint = Checkpoint(
        directory: "/runs/a", dirname: "a", adapterFile: "/runs/a/0000100_adapters.safetensors",
        configFile: "/runs/a/adapter_config.json", iteration: 100,
        family: ModelFamily(prefix: "a", tag: "tag", short: "A"), label: "A @0000100", runID: "run/one")

    @Test func theFolderIsNamedKnownAndRemovedOnEveryPath() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("work-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directories = WorkDirectories()
        let used = try await directories.withDirectory(for: Self.checkpoint, kind: "checkpoint", under: parent) { (directory: String) async throws -> String in
            #expect(FileManager.default.fileExists(atPath: directory))
            #expect(directories.current == [directory])
            #expect((directory as NSString).lastPathComponent.hasPrefix("checkpoint-run_one-100-"), "\(directory)")
            return directory
        }
        #expect(!FileManager.default.fileExists(atPath: used) && directories.current.isEmpty)

        struct Failed: Error {}
        let failed = Mutex<String?>(nil)
        await #expect(throws: Failed.self) {
            try await directories.withDirectory(for: Self.checkpoint, kind: "mlx-checkpoint", under: parent) { (directory: String) async throws -> Void in
                failed.withLock { $0 = directory }
                throw Failed()
            }
        }
        let path = try #require(failed.withLock { $0 })
        #expect(!FileManager.default.fileExists(atPath: path) && directories.current.isEmpty)
    }
}
