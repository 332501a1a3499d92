import ChildProcess
import Foundation
import Testing
import Workspace

/// A SQLite workspace the reader cannot write beside (a read-only directory) is still read by the read-only
/// commands, and they leave no `-wal` / `-shm` files.
@Suite struct ReadOnlySQLiteTests {
    @Test func aWorkspaceInAnUnwritableDirectoryCanBeRead() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ws-ro-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("workspace.sqlite").path
        let writer = try await Workspace.open(path)
        try await writer.insertPrompts([PromptRecord(id: "p1", prompt: "One?", source: "t"),
                                        PromptRecord(id: "p2", prompt: "Two?", source: "t")])
        await writer.close()
        let sidecars = [path + "-wal", path + "-shm"]
        try #require(sidecars.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        // The tests run as root, whom permissions do not stop; an immutable directory refuses even root a new file.
        let locked = try await ChildProcess.run(["chattr", "+i", directory.path], mergeErrorIntoOutput: true)
        try #require(locked.status == 0, "chattr +i failed: \(locked.outputText)")
        defer {
            _ = try? ChildProcess.runBlocking(["chattr", "-i", directory.path])
            try? FileManager.default.removeItem(at: directory)
        }
        let reader = try await Workspace.open(path, readOnly: true)
        #expect(try await reader.status().prompts == 2)
        #expect(try await reader.query("SELECT COUNT(*) AS n FROM prompts").rows == [[.integer(2)]])
        await reader.close()
        #expect(sidecars.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }
}
