import Foundation
import Testing

@testable import Evaluation

/// `ml score`'s file layout: the score file named after the input, the per-item results and journal beside it.
@Suite struct ScoringRunTests {
    @Test func filesAreNamedAfterTheInputAndTheScoreFile() {
        let run = ScoringRun(inputPath: "/d/answers.jsonl")
        #expect(run.outputPath == "/d/answers.scores.json")
        #expect(run.itemsPath == "/d/answers.scores.json.items.jsonl")
        #expect(run.journalPath == "/d/answers.scores.json.journal")
        #expect(ScoringRun.defaultOutputPath(forInput: "a.json") == "a.scores.json")
        #expect(ScoringRun.defaultOutputPath(forInput: "a.txt") == "a.txt.scores.json")
        let named = ScoringRun(inputPath: "a.jsonl", outputPath: "/o/s.json")
        #expect(named.itemsPath == "/o/s.json.items.jsonl" && named.journalPath == "/o/s.json.journal")
    }

    @Test func aDirectoryOrMissingInputIsNamedBeforeScoring() {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(ScoringRun(inputPath: directory).inputProblem() == "is a directory, not a JSON-lines file")
        #expect(ScoringRun(inputPath: directory + "/no-such-file-\(UUID().uuidString)").inputProblem() == "cannot be read")
    }
}
