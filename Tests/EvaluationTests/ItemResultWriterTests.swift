import Foundation
import Scoring
import Testing
@testable import Evaluation

/// Result lines written directly are byte for byte what JSONEncoder writes.
@Suite struct ItemResultWriterTests {
    private func encoded(_ result: ItemResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(result)
    }

    @Test func generatedResultsMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab /\\\"\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}é日😀\u{2028}")
        func text() -> String {
            String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &generator) ? value() : nil }
        let scores: [Double] = [0, -60, 12.5, -0.5, 1e16, 1e15, 0.1 + 0.2, -123.25, 7]
        for _ in 0..<1000 {
            var heuristic: HeuristicScores?
            if Bool.random(using: &generator) {
                var h = HeuristicScorer.score(text())
                h.complianceMarkers = Int.random(in: 0...20, using: &generator)
                h.lekScore = scores.randomElement(using: &generator)! + Double(Int.random(in: -3...3, using: &generator))
                heuristic = h
            }
            var result = ItemResult(
                line: Int.random(in: 1...1_000_000, using: &generator), id: maybe(text()), model: maybe(text()),
                domain: maybe(text()), heuristic: heuristic,
                standard: maybe(ExactMatchResult(correct: Bool.random(), extracted: text(), expected: text())),
                error: maybe(text()))
            if Bool.random(using: &generator) { result.failures.append(text()) }
            let direct = try #require(ItemResultWriter.encode(result))
            #expect(direct == (try encoded(result)), "\(String(decoding: direct, as: UTF8.self))")
        }
    }

    @Test func resultsWithJudgeVerdictsAreLeftToJSONEncoder() {
        let result = ItemResult(line: 1, id: "a", judges: ["semantic": .unscored(reason: "no JSON", raw: "")])
        #expect(ItemResultWriter.encode(result) == nil)
    }
}
