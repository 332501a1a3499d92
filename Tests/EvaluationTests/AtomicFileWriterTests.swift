import Foundation
import SafeFiles
import Testing

/// SafeFiles' streaming atomic writer, as the results and score files use it: the destination holds the old file or
/// the whole new one, and a writer dropped without a commit leaves nothing behind.
@Suite struct AtomicFileWriterTests {
    @Test func writesSmallAndLargePiecesInOrderAndReplacesOnCommit() throws {
        let dir = FakeTempDir()
        let path = dir.path("out.jsonl")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try AtomicFileWriter(path: path, bufferBytes: 8)
        try writer.write(Data("ab".utf8))
        try writer.write(Array(repeating: UInt8(ascii: "x"), count: 20))
        try writer.write([UInt8(ascii: "c")])
        #expect(writer.bytesWritten == 23)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n", "nothing replaced before the commit")
        try writer.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "ab" + String(repeating: "x", count: 20) + "c")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out.jsonl"])
    }

    @Test func droppedWithoutACommitKeepsThePreviousFile() throws {
        let dir = FakeTempDir()
        let path = dir.path("out.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write(Data("new".utf8))
            try writer.flush()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out.json"])
        #expect(throws: SafeFileError.self) { try AtomicFileWriter(path: dir.path("missing/out.json")) }
    }
}
