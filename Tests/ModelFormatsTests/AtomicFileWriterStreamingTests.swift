import Foundation
import SafeFiles
import Testing

/// SafeFiles' atomic writer as the model writers use it (unbuffered, a named temporary file).
@Suite struct AtomicFileWriterStreamingTests {
    private func write(_ text: String, to file: AtomicFileWriter) throws {
        try Array(text.utf8).withUnsafeBytes { try file.write($0) }
    }

    @Test func chunksAppearWholeOnlyAtCommit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("out.bin")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let file = try AtomicFileWriter(path: path)
        #expect(file.temporaryPath.hasPrefix(dir.file(".out.bin.")), "a hidden temporary file beside the destination")
        try write("new ", to: file)
        try write("content", to: file)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old", "the destination is untouched until the commit")
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        #expect(!FileManager.default.fileExists(atPath: file.temporaryPath))
        #expect(!file.isOpen)
        #expect(throws: SafeFileError.self) { try write("late", to: file) }
    }

    @Test func discardedOrDroppedWritesLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("out.bin")
        let discarded = try AtomicFileWriter(path: path, temporaryPath: path + ".partial")
        try write("x", to: discarded)
        discarded.discard()
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        var temporary = ""
        do {
            let dropped = try AtomicFileWriter(path: path)
            temporary = dropped.temporaryPath
            try write("x", to: dropped)
            #expect(FileManager.default.fileExists(atPath: temporary))
        }
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aMissingDirectoryIsAnError() {
        let error = #expect(throws: SafeFileError.self) { _ = try AtomicFileWriter(path: "/nonexistent-\(UUID().uuidString)/f") }
        #expect(error?.code == .missingDirectory)
        let named = #expect(throws: SafeFileError.self) {
            _ = try AtomicFileWriter(path: "/nonexistent-dir/f", temporaryPath: "/nonexistent-dir/f.partial")
        }
        #expect(named?.message.hasPrefix("cannot create '/nonexistent-dir/f.partial': ") == true)
    }
}
