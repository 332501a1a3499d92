import ChildProcess
import Foundation
import Testing

@Suite struct ExecutableLookupTests {
    /// A directory with an executable `tool`, a non-executable `data` and a directory `dir`.
    private func fixture() throws -> URL {
        let directory = try scratchDirectory()
        let tool = directory.appendingPathComponent("tool")
        try Data("#!/bin/sh\n".utf8).write(to: tool)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        try Data().write(to: directory.appendingPathComponent("data"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir"), withIntermediateDirectories: true)
        return directory
    }

    @Test func namesAreSearchedOnPathInOrder() throws {
        let first = try fixture()
        let second = try fixture()
        defer { for url in [first, second] { try? FileManager.default.removeItem(at: url) } }
        let path = "/nonexistent:\(first.path):\(second.path)"
        #expect(try ExecutableLookup.resolve("tool", environment: ["PATH": path]) == first.path + "/tool")
        #expect(throws: ChildProcessError(.launchFailed, "'data' was not found in PATH")) {
            try ExecutableLookup.resolve("data", environment: ["PATH": path])
        }
        #expect(throws: ChildProcessError(.launchFailed, "'dir' was not found in PATH")) {
            try ExecutableLookup.resolve("dir", environment: ["PATH": path])
        }
    }

    @Test func withoutPathTheDefaultSearchPathIsUsed() throws {
        #expect(ExecutableLookup.defaultSearchPath == "/usr/local/bin:/usr/bin:/bin")
        let found = try ExecutableLookup.resolve("sh", environment: [:])
        #expect(["/usr/local/bin/sh", "/usr/bin/sh", "/bin/sh"].contains(found))
    }

    @Test func aNameWithASlashIsAPathThatMustBeExecutable() throws {
        let directory = try fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tool = directory.path + "/tool"
        #expect(try ExecutableLookup.resolve(tool, environment: ["PATH": "/nonexistent"]) == tool)
        for path in [directory.path + "/data", directory.path + "/dir", "/nonexistent/x"] {
            #expect(throws: ChildProcessError(.launchFailed, "'\(path)' is not an executable file")) {
                try ExecutableLookup.resolve(path)
            }
            #expect(!ExecutableLookup.isExecutableFile(path))
        }
        #expect(ExecutableLookup.isExecutableFile(tool))
    }
}
