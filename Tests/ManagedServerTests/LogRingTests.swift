import Foundation
import Testing

@testable import ManagedServer

@Suite struct LogRingTests {
    static func append(_ ring: LogRing, _ text: String) {
        Array(text.utf8).withUnsafeBytes { ring.append($0) }
    }

    @Test func keepsTheLastLinesAcrossChunkBoundaries() {
        let ring = LogRing(capacity: 3, filePath: nil)
        Self.append(ring, "one\ntw")
        Self.append(ring, "o\r\nthree\nfour\nfi")
        #expect(ring.tail() == ["two", "three", "four", "fi"], "the unfinished line is shown too")
        #expect(ring.tail(2) == ["four", "fi"])
        Self.append(ring, "ve\n")
        #expect(ring.tail() == ["three", "four", "five"])
        #expect(ring.tail(0) == [])
    }

    @Test func overlongLinesAreCut() {
        let ring = LogRing(capacity: 10, filePath: nil)
        Self.append(ring, String(repeating: ".", count: LogRing.maxLineBytes * 2 + 5))
        let lines = ring.tail()
        #expect(lines.map(\.utf8.count) == [LogRing.maxLineBytes, LogRing.maxLineBytes, 5])
    }

    @Test func appendsToTheLogFileUntilFinished() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-\(UUID().uuidString).log")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        let ring = LogRing(capacity: 10, filePath: path)
        Self.append(ring, "a\nb\n")
        #expect(await !ring.waitUntilDrained(timeout: .milliseconds(10)))
        ring.finish()
        #expect(await ring.waitUntilDrained(timeout: .milliseconds(10)))
        Self.append(ring, "after\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "earlier\na\nb\n")
        #expect(ring.tail() == ["a", "b", "after"])
    }
}
