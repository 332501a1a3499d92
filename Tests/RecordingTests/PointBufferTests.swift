import Foundation
import Synchronization
import Testing

@testable import Recording

/// The crash-safe buffer file: format, replay order, partial replays, concurrent appends, malformed lines.
@Suite struct PointBufferTests {
    /// Sends recorded in a replay.
    final class Sent: Sendable {
        private let batches = Mutex<[[String]]>([])
        var all: [[String]] { batches.withLock { $0 } }
        func add(_ lines: [String]) { batches.withLock { $0.append(lines) } }
    }

    struct Refused: Error {}

    @Test func appendWritesOneJSONObjectPerLine() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let buffer = PointBuffer(path: dir.path("sub/pending.jsonl"))
        try await buffer.append(["a v=1i 1", "a v=2i 2"], added: Date(timeIntervalSince1970: 1_735_689_600))
        try await buffer.append(["b s=\"x\\\"y\" 3"])
        try await buffer.append([])  // ignored
        let text = try String(contentsOfFile: buffer.path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "two lines, each terminated: \(text)")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["lines"] as? [String] == ["a v=1i 1", "a v=2i 2"])
        #expect(first["added"] as? String == "2025-01-01T00:00:00Z")
        #expect(try await buffer.pending().map(\.lines) == [["a v=1i 1", "a v=2i 2"], ["b s=\"x\\\"y\" 3"]])
    }

    @Test func replaySendsInOrderAndEmptiesTheFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let buffer = PointBuffer(path: dir.path("pending.jsonl"))
        for name in ["A", "B", "C"] { try await buffer.append(["\(name) v=1i 1"]) }
        let sent = Sent()
        let result = await buffer.replay { sent.add($0) }
        #expect(result.sent == 3 && result.remaining == 0 && result.failure == nil)
        #expect(sent.all == [["A v=1i 1"], ["B v=1i 1"], ["C v=1i 1"]])
        #expect(try Data(contentsOf: URL(fileURLWithPath: buffer.path)).isEmpty)
        #expect(try await buffer.pending().isEmpty)
        let again = await buffer.replay { sent.add($0) }
        #expect(again.sent == 0 && sent.all.count == 3)
    }

    @Test func replayStoppedAfterTheFirstBatchKeepsExactlyTheRest() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("pending.jsonl")
        let buffer = PointBuffer(path: path)
        for name in ["A", "B", "C"] { try await buffer.append(["\(name) v=1i 1"]) }
        let sent = Sent()
        let result = await buffer.replay { lines in
            if !sent.all.isEmpty { throw Refused() }
            sent.add(lines)
        }
        #expect(result.sent == 1 && result.remaining == 2)
        #expect(result.failure is Refused)
        #expect(sent.all == [["A v=1i 1"]])
        // A restarted process (a new buffer on the same file) sees exactly B and C and sends only those.
        let restarted = PointBuffer(path: path)
        #expect(try await restarted.pending().map(\.lines) == [["B v=1i 1"], ["C v=1i 1"]])
        let resent = Sent()
        let second = await restarted.replay { resent.add($0) }
        #expect(second.sent == 2 && second.remaining == 0)
        #expect(resent.all == [["B v=1i 1"], ["C v=1i 1"]])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty, "temp files left behind: \(leftovers)")
    }

    @Test func batchesAppendedDuringAReplayAreKept() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let buffer = PointBuffer(path: dir.path("pending.jsonl"))
        try await buffer.append(["A v=1i 1"])
        try await buffer.append(["B v=1i 1"])
        let sent = Sent()
        let result = await buffer.replay { lines in
            if lines == ["A v=1i 1"] { try await buffer.append(["late v=1i 1"]) }
            sent.add(lines)
        }
        #expect(result.sent == 3 && result.remaining == 0)
        #expect(sent.all == [["A v=1i 1"], ["B v=1i 1"], ["late v=1i 1"]])
    }

    @Test func malformedLinesAreKeptAsideAndLogged() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("pending.jsonl")
        let good = #"{"lines":["A v=1i 1"],"added":"2025-01-01T00:00:00Z"}"#
        let good2 = #"{"lines":["B v=1i 1"],"added":"2025-01-01T00:00:01Z"}"#
        try [good, "not json at all", #"{"lines":"wrong type"}"#, good2, ""].joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let logs = LogCapture()
        let buffer = PointBuffer(path: path, logger: logs.logger())
        let sent = Sent()
        let result = await buffer.replay { sent.add($0) }
        #expect(result.sent == 2)
        #expect(sent.all == [["A v=1i 1"], ["B v=1i 1"]])
        let bad = try String(contentsOfFile: buffer.badPath, encoding: .utf8)
        #expect(bad == "not json at all\n" + #"{"lines":"wrong type"}"# + "\n")
        #expect(logs.lines.contains { $0.hasPrefix("warning") && $0.contains("malformed") && $0.contains("count=2") })
    }

    @Test func aTornLastLineDoesNotCorruptTheNextAppend() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("pending.jsonl")
        let good = #"{"lines":["A v=1i 1"],"added":"2025-01-01T00:00:00Z"}"#
        // A crash in the middle of an append left half a line.
        try (good + "\n" + #"{"lines":["B v=1"#).write(toFile: path, atomically: true, encoding: .utf8)
        let buffer = PointBuffer(path: path)
        try await buffer.append(["C v=1i 1"])
        #expect(try await buffer.pending().map(\.lines) == [["A v=1i 1"], ["C v=1i 1"]])
        #expect(try String(contentsOfFile: buffer.badPath, encoding: .utf8) == #"{"lines":["B v=1"# + "\n")
    }

    @Test func unwritableBufferIsAClearError() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "file".write(toFile: dir.path("blocker"), atomically: true, encoding: .utf8)
        let buffer = PointBuffer(path: dir.path("blocker/pending.jsonl"))
        let error = await #expect(throws: RecordingError.self) { try await buffer.append(["A v=1i 1"]) }
        #expect(error?.code == .buffer)
        #expect(error?.message.contains("blocker") == true)
    }
}
