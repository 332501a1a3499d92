import ChildProcess
import Foundation
import ModelFormats
import Testing

@Suite struct FileDigestTests {
    @Test func knownVectors() throws {
        let vectors: [(Data, String)] = [
            (Data(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Data("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (Data(repeating: UInt8(ascii: "a"), count: 1_000_000),
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (data, digest) in vectors {
            #expect(FileDigest.sha256Hex(data) == digest)
            try data.write(to: URL(fileURLWithPath: path))
            #expect(try FileDigest.sha256Hex(fileAt: path) == digest)
        }
    }

    @Test func fileOfSeveralChunksMatchesOneShotAndSha256sum() throws {
        var generator = SystemRandomNumberGenerator()
        // Two whole 1 MiB chunks and an odd tail.
        let data = Data((0..<(2 << 20) + 10_007).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        #expect(try FileDigest.sha256Hex(fileAt: path) == FileDigest.sha256Hex(data))
        let output = try ChildProcess.runBlocking(["/usr/bin/sha256sum", path]).outputText
        #expect(output.split(separator: " ").first.map(String.init) == FileDigest.sha256Hex(data))
    }

    @Test func missingFileIsAnError() {
        #expect(throws: (any Error).self) { try FileDigest.sha256Hex(fileAt: "/nonexistent/\(UUID())") }
    }
}
