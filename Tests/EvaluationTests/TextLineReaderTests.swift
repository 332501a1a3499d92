import Evaluation
import Foundation
import Testing

@Suite struct TextLineReaderTests {
    private func lines(_ bytes: [UInt8], maxLineBytes: Int = 1 << 20) throws -> [TextLine] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        let reader = try TextLineReader(path: path, maxLineBytes: maxLineBytes)
        var result: [TextLine] = []
        while let line = try reader.next() { result.append(line) }
        return result
    }

    @Test func crlfAndLFEndingsReadTheSame() throws {
        let crlf = try lines(Array("a\r\nb\r\n\r\nc".utf8))
        let lf = try lines(Array("a\nb\n\nc".utf8))
        #expect(crlf == lf)
        #expect(crlf.map(\.content) == [.text("a"), .text("b"), .text(""), .text("c")])
        #expect(crlf.map(\.number) == [1, 2, 3, 4])
        // A CR inside a line is text, not an ending.
        #expect(try lines(Array("x\ry\n".utf8)).map(\.content) == [.text("x\ry")])
    }

    @Test func anInvalidByteSpoilsOnlyItsLineAndSaysWhere() throws {
        let bytes = Array("good\nab".utf8) + [0xFF] + Array("c\né\n".utf8) + [0xE2, 0x82]
        let result = try lines(bytes)
        #expect(result.map(\.content) == [.text("good"), .invalidUTF8(byteOffset: 2), .text("é"), .invalidUTF8(byteOffset: 0)])
        #expect(result[1].problem?.contains("column 3") == true)
    }

    /// The limit is applied as the reader fills its 64 KiB chunks, so the line here is well past both.
    @Test func anOverlongLineIsSkippedAndNumbered() throws {
        let result = try lines(Array(("short\n" + String(repeating: "x", count: 300_000) + "\nafter\n").utf8), maxLineBytes: 1000)
        #expect(result.map(\.number) == [1, 2, 3])
        #expect(result[2].content == .text("after"))
        if case .tooLong = result[1].content {} else { Issue.record("line 2 should be too long: \(result[1])") }
    }
}
