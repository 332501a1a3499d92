import Foundation
import Testing

@testable import Transport

@Suite struct LocalTransportTests {
    let transport = LocalTransport()

    @Test func describesItself() {
        #expect(transport.description == "local")
    }

    @Test func runReturnsStandardOutput() async throws {
        let hostile = HostileNames()
        for name in hostile.names {
            #expect(try await transport.run(["printf", "%s", name]) == name)
        }
        #expect(hostile.sentinelsFound(in: HostileNames.likelyWorkingDirectories).isEmpty)
    }

    @Test func nonZeroExitIsCommandFailedWithStatusAndStderr() async {
        let error = await #expect(throws: TransportError.self) {
            try await transport.run(["sh", "-c", "echo 'something broke' >&2; exit 7"])
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.exitStatus == 7)
        #expect(error?.message.contains("status 7") == true)
        #expect(error?.message.contains("something broke") == true)
    }

    @Test func downloadAndUploadCopyBytesAtomically() async throws {
        let directory = try TemporaryDirectory("local-copy")
        defer { directory.remove() }
        let bytes = testBytes(count: 2_500_000)
        let source = try directory.write("it's a \"source\" $(x)/data file.bin", bytes)
        let downloaded = directory.url.appendingPathComponent("down loaded.bin")
        try await transport.download(remotePath: source, to: downloaded)
        #expect(try Data(contentsOf: downloaded) == bytes)

        let uploaded = directory.path + "/it's a \"source\" $(x)/up'loaded.bin"
        try await transport.upload(downloaded, to: uploaded)
        #expect(try Data(contentsOf: URL(fileURLWithPath: uploaded)) == bytes)

        // An existing destination is replaced; no temporary file stays behind.
        try await transport.download(remotePath: source, to: URL(fileURLWithPath: uploaded))
        #expect(try Data(contentsOf: URL(fileURLWithPath: uploaded)) == bytes)
        #expect(!directory.allEntries().contains { $0.hasSuffix(".part") })
    }

    @Test func copyErrors() async throws {
        let directory = try TemporaryDirectory("local-copy")
        defer { directory.remove() }
        let missing = await #expect(throws: TransportError.self) {
            try await transport.download(
                remotePath: directory.path + "/missing",
                to: directory.url.appendingPathComponent("x")
            )
        }
        #expect(missing?.code == .notFound)
        let file = try directory.write("file")
        let noDirectory = await #expect(throws: TransportError.self) {
            try await transport.download(remotePath: file, to: directory.url.appendingPathComponent("nope/x"))
        }
        #expect(noDirectory?.code == .notFound)
        let fromDirectory = await #expect(throws: TransportError.self) {
            try await transport.upload(directory.url, to: directory.path + "/copy")
        }
        #expect(fromDirectory?.code == .notFound)
        #expect(directory.allEntries() == ["file"])
    }

    @Test func listFilesHonoursSuffixAndDepth() async throws {
        let directory = try TemporaryDirectory("local-list")
        defer { directory.remove() }
        for file in ["a.txt", "b.bin", "d1/c.txt", "d1/d2/e.txt", "d1/d2/d3/f.txt", "weird*?[x]", "xweird*?[x]"] {
            try directory.write(file)
        }
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link.txt", withDestinationPath: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/linkdir", withDestinationPath: "d1")
        let base = directory.path
        #expect(try await transport.listFiles(under: base, suffix: ".txt", maxDepth: 1) == [base + "/a.txt"])
        #expect(
            try await transport.listFiles(under: base + "//", suffix: ".txt", maxDepth: 3)
                == [base + "/a.txt", base + "/d1/c.txt", base + "/d1/d2/e.txt"]
        )
        #expect(try await transport.listFiles(under: base, suffix: ".txt", maxDepth: 0) == [])
        #expect(
            try await transport.listFiles(under: base, suffix: "weird*?[x]", maxDepth: 1)
                == [base + "/weird*?[x]", base + "/xweird*?[x]"]
        )
        #expect(try await transport.listFiles(under: base, suffix: "", maxDepth: 1).count == 4)
    }

    @Test func listFilesOfMissingBaseIsNotFound() async throws {
        let error = await #expect(throws: TransportError.self) {
            try await transport.listFiles(under: "/nonexistent-\(UUID().uuidString)", suffix: "", maxDepth: 2)
        }
        #expect(error?.code == .notFound)
        let negative = await #expect(throws: TransportError.self) {
            try await transport.listFiles(under: "/", suffix: "", maxDepth: -1)
        }
        #expect(negative?.code == .invalidArgument)
    }
}
