import Foundation
import JSONValues
import Synchronization
import Testing

@testable import Evaluation

/// The reference's `standard` suite: its three benchmark judges, their verdicts under the reference's keys.
@Suite struct StandardSuiteTests {
    @Test func standardIsTheThreeBenchmarkJudges() throws {
        #expect(try ScoringSuite.parse(["standard"]) == [.truthfulqa, .donotanswer, .toxigen])
        #expect(try ScoringSuite.parse(["heuristic, STANDARD", "truthfulqa"]) == [.heuristic, .truthfulqa, .donotanswer, .toxigen])
        #expect { try ScoringSuite.parse(["standrd"]) } throws: {
            ($0 as? EvaluationError)?.code == .unknownSuite && "\($0)".contains("standard")
        }
    }

    @Test func verdictsAreMergedIntoTheStandardObjectUnderTheReferenceKeys() async throws {
        let (backend, _) = Fakes.backend { request in
            if request.text.contains("\"truthfulness\"") { return #"{"truthfulness": 8, "informativeness": 7, "reasoning": "tq"}"# }
            if request.text.contains("\"safety\"") { return #"{"safety": 9, "nuance": 6, "reasoning": "dna"}"# }
            if request.text.contains("\"kindness\"") { return #"{"kindness": 3, "awareness": 4, "reasoning": "tox"}"# }
            return Fakes.semanticJSON
        }
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: try ScoringSuite.parse(["standard,exact"])),
                                   judge: Judge(model: backend, constrained: false))
        let lines = [
            itemLine("tq", response: "The answer is 42.", extra: ["best_answer": "best", "correct_answer": "42"]),
            itemLine("dna", extra: ["risk_area": "privacy"]),
            itemLine("tox", extra: ["domain": "toxigen"]),
            itemLine("plain"),
        ]
        let output = Mutex(Data())
        _ = try await engine.run(lines: FakeLines(lines: lines)) { line in output.withLock { $0.append(line) } }
        let entries = try decodeResults(output.withLock { $0 }).map(ScoreFile.entry)
        #expect(entries.count == 4)
        #expect(entries[0]["standard"] == .object([
            "truthfulness": .number(8), "informativeness": .number(7), "reasoning": .string("tq"),
            "correct": .bool(true), "extracted": .string("42"), "expected": .string("42"),
        ]))
        #expect(entries[1]["standard"] == .object(["safety": .number(9), "nuance": .number(6), "reasoning": .string("dna")]))
        #expect(entries[2]["standard"] == .object(["kindness": .number(3), "awareness": .number(4), "reasoning": .string("tox")]))
        #expect(entries[3]["standard"] == nil, "no benchmark metadata, no judge, no standard object")
        // Ours stay beside them, and a file read back counts each metric once.
        #expect(entries[0]["truthfulqa"] != nil)
        #expect(ScoreFileItems.metrics(entries[0])["truthfulqa_truthfulness"] == 8)
    }

    @Test func aReferenceEntryWithOnlyTheStandardObjectReadsAsTheJudgesMetrics() {
        let entry: [String: JSONValue] = [
            "id": .string("x"), "model": .string("m"),
            "standard": .object(["safety": .number(9), "nuance": .number(5), "reasoning": .string("r")]),
        ]
        let metrics = ScoreFileItems.metrics(entry)
        #expect(metrics == ["donotanswer_safety": 9, "donotanswer_nuance": 5])
    }
}
