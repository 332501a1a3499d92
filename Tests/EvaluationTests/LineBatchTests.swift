import Foundation
import Scoring
import Testing
@testable import Evaluation

/// The engine reads its input in byte batches (``LineReader/nextBatch(firstLineNumber:maxLines:maxBytes:)``) and
/// decodes lines from bytes: these tests hold that path to what line-by-line `String`s gave.
@Suite struct LineBatchTests {
    /// Writes `bytes` to a fresh file and returns its path.
    private func file(_ bytes: [UInt8], in dir: FakeTempDir) throws -> String {
        let path = dir.path("input.jsonl")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func batchesHoldTheLinesNextReads() throws {
        let dir = FakeTempDir()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                let length = [0, 1, 5, 40, 99, 100, 101, 250].randomElement(using: &generator)!
                bytes += (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                bytes += Bool.random(using: &generator) ? [13, 10] : [10]
            }
            if round % 2 == 0 { bytes += Array("unterminated".utf8) }
            let path = try file(bytes, in: dir)
            let chunk = [3, 7, 64, 1 << 16][round % 4]

            let lineReader = LineReader(handle: FileHandle(forReadingAtPath: path)!, chunkSize: chunk, maxLineBytes: 100)
            var expected: [RawLine] = []
            while let line = try lineReader.next() { expected.append(line) }

            let batchReader = LineReader(handle: FileHandle(forReadingAtPath: path)!, chunkSize: chunk, maxLineBytes: 100)
            var got: [RawLine] = []
            var nextLine = 1
            while let batch = try batchReader.nextBatch(firstLineNumber: nextLine, maxLines: 5, maxBytes: 120) {
                #expect(batch.firstLineNumber == nextLine)
                #expect(batch.lines.count <= 5)
                nextLine += batch.lines.count
                for line in batch.lines {
                    switch line {
                    case .tooLong(let size): got.append(.tooLong(bytes: size))
                    case .bytes(let range): got.append(.text(batch.withLine(range) { String(decoding: $0, as: UTF8.self) }))
                    }
                }
            }
            #expect(got == expected, "round \(round), chunk \(chunk)")
        }
    }

    @Test(arguments: ["", " ", "\t\r\n", "\u{0B}\u{0C}", "\u{A0}", " \u{2028} \u{85}", "\u{3000}x", "x", " {}", "\u{1C}",
                      "\u{200B}", "é", " \r"])
    func blankIsCharacterWhiteSpace(_ text: String) {
        var text = text
        let blank = text.withUTF8 { ItemAnalyzer.isBlank($0) }
        #expect(blank == text.allSatisfy(\.isWhitespace))
    }

    @Test func blankDecidesOnInvalidUTF8AsAStringWould() {
        let bytes: [UInt8] = [0x20, 0xFF, 0x20]
        let blank = bytes.withUnsafeBufferPointer { ItemAnalyzer.isBlank($0) }
        #expect(blank == String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace))
    }

    /// Over several batches: every line keeps its number, blank lines are skipped, bad lines fail with their
    /// number, and each item is scored as scoring it alone scores it.
    @Test func lineNumbersAndScoresAcrossBatches() async throws {
        let dir = FakeTempDir()
        var lines: [String] = []
        var expected: [Int: String] = [:]  // line number → id, or "!" for a line that must fail
        for number in 1...1_300 {
            switch number {
            case 1, 513, 1_024, 1_300: lines.append("{broken"); expected[number] = "!"
            case 2, 512, 514, 1_025: lines.append(number == 514 ? " \t " : "")
            default:
                let response = String(repeating: "I think the answer is \(number). ", count: number % 7 + 1)
                lines.append(itemLine("i\(number)", response: response))
                expected[number] = "i\(number)"
            }
        }
        let input = dir.path("in.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.heuristic]))
        let output = dir.path("out.jsonl")
        let summary = try await engine.run(inputPath: input, outputPath: output)
        let results = try decodeResults(Data(contentsOf: URL(fileURLWithPath: output)))

        #expect(summary.items == expected.count && results.count == expected.count)
        #expect(summary.failed == 4)
        #expect(results.map(\.line) == expected.keys.sorted())
        for result in results {
            if expected[result.line] == "!" {
                #expect(result.error == "line \(result.line): invalid JSON")
            } else {
                #expect(result.id == expected[result.line])
                let item = try JSONDecoder().decode(ResponseItem.self, from: Data(lines[result.line - 1].utf8))
                #expect(result.heuristic == HeuristicScorer.score(item.response), "line \(result.line)")
            }
        }
    }

    /// Invalid UTF-8 in a line becomes U+FFFD, on the fast path and on the JSONDecoder path alike (as when each line
    /// was made a `String` first), rather than failing the line.
    @Test func invalidUTF8IsRepairedNotRejected() async throws {
        let dir = FakeTempDir()
        var bytes = Array(#"{"id": "a"#.utf8) + [0xFF] + Array(#"", "model": "m", "prompt": "p", "response": "ok "#.utf8)
        bytes += [0xE2, 0x82] + Array(#" fine"}"#.utf8) + [10]
        // A surrogate escape sends this line to JSONDecoder.
        bytes += Array(#"{"id": "b\ud83d\ude00", "model": "m", "prompt": "p", "response": "x"#.utf8) + [0xC3] + Array(#""}"#.utf8)
        let input = try file(bytes, in: dir)
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.heuristic]))
        let output = dir.path("out.jsonl")
        let summary = try await engine.run(inputPath: input, outputPath: output)
        let results = try decodeResults(Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(summary.failed == 0)
        #expect(results.map(\.id) == ["a\u{FFFD}", "b😀"])
        #expect(results[0].heuristic == HeuristicScorer.score("ok \u{FFFD} fine"))
        #expect(results[1].heuristic == HeuristicScorer.score("x\u{FFFD}"))
    }
}
