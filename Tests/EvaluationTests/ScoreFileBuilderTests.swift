import Foundation
import Inference
import SafeFiles
import Scoring
import Testing
@testable import Evaluation

/// The score file built while scoring is byte for byte the file the earlier two-pass build wrote from the
/// per-item results (kept below as the oracle), resumed runs included.
@Suite struct ScoreFileBuilderTests {
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The previous `ScoreFile.build`: every result decoded from the results file, `per_prompt` entries through
    /// `JSONValue` and `JSONEncoder`, one pass for the averages and one per model.
    static func twoPassOracle(resultsPath: String, metadata: ScoreFileMetadata) throws -> Data {
        let results = try String(contentsOfFile: resultsPath, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(ItemResult.self, from: Data($0.utf8)) }
        let encoder = encoder()
        let averages = ScoreFile.modelAverages(results)
        var out = Data("{\"metadata\": ".utf8)
        out += try encoder.encode(ScoreFile.metadata(metadata, items: results.count, failed: results.filter(\.failed).count))
        out += Data(",\n\"model_averages\": ".utf8) + (try encoder.encode(averages))
        var sums: [String: ScoreFile.Sums] = [:]
        for result in results { if let model = result.model { ScoreFile.accumulate(result, into: &sums[model, default: .init()]) } }
        out += Data(",\n\"model_statistics\": ".utf8) + (try encoder.encode(ScoreFile.statisticsValue(sums.mapValues(\.statistics))))
        out += Data(",\n\"per_prompt\": {".utf8)
        for (index, model) in averages.keys.sorted().enumerated() {
            out += Data((index == 0 ? "\n" : ",\n").utf8) + (try encoder.encode(model)) + Data(": [".utf8)
            for (number, result) in results.filter({ $0.model == model }).enumerated() {
                out += Data((number == 0 ? "\n" : ",\n").utf8) + (try encoder.encode(ScoreFile.entry(result)))
            }
            out += Data("\n]".utf8)
        }
        return out + Data("\n}}\n".utf8)
    }

    @Test func entriesWrittenDirectlyMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab /\\\"\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}é日😀\u{2028}")
        func text() -> String {
            String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let scores: [Double] = [0, -0.0, -60, 12.5, -0.5, 1e16, 1e15, 0.1 + 0.2, -123.25, 7]
        for _ in 0..<1000 {
            var heuristic: HeuristicScores?
            if Bool.random(using: &generator) {
                var h = HeuristicScorer.score(text())
                h.firstPerson = Int.random(in: 0...20, using: &generator)
                h.lekScore = scores.randomElement(using: &generator)! + Double(Int.random(in: -3...3, using: &generator))
                heuristic = h
            }
            var result = ItemResult(
                line: 1, id: Bool.random() ? text() : nil, model: text(), heuristic: heuristic,
                standard: Bool.random() ? ExactMatchResult(correct: Bool.random(), extracted: text(), expected: text()) : nil,
                error: Bool.random() ? text() : nil)
            if Bool.random(using: &generator) { result.failures.append(text()) }
            var direct: [UInt8] = []
            #expect(ScoreFileEntryWriter.write(result, into: &direct))
            let expected = try Self.encoder().encode(ScoreFile.entry(result))
            #expect(Data(direct) == expected, "\(String(decoding: direct, as: UTF8.self))")
        }
        var untouched: [UInt8] = []
        #expect(!ScoreFileEntryWriter.write(ItemResult(line: 1, judges: ["semantic": .unscored(reason: "r", raw: "")]),
                                            into: &untouched))
        #expect(untouched.isEmpty)
    }

    @Test func builtWhileScoringEqualsTheTwoPassBuildFreshAndResumed() async throws {
        let dir = FakeTempDir()
        let input = dir.path("in.jsonl"), items = dir.path("items.jsonl"), journal = dir.path("journal")
        // Models interleaved, an unreadable line, judged and unscored items, exact verdicts.
        var lines: [String] = []
        for index in 0..<60 {
            let model = ["m2", "m1", "m1", "m3"][index % 4]
            let response = index % 9 == 0 ? "BROKEN" : "I think the light is \(index). The answer is \(index)."
            lines.append(itemLine("i\(index)", model: model, response: response,
                                  extra: index % 3 == 0 ? ["correct_answer": "\(index)"] : [:]))
            if index == 17 { lines.append("garbage") }
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let config = ScoringConfiguration(suites: [.heuristic, .exact, .semantic], judgeModel: "fake-judge",
                                          judgeOptions: GenerateOptions(temperature: 0.1, seed: 7))
        let metadata = ScoreFileMetadata(configuration: config, scoredAt: Date(timeIntervalSince1970: 1_700_000_000))

        var files: [Data] = []
        for resume in [false, true] {
            let (backend, _) = fakeOutOfOrderJudge()
            let engine = ScoringEngine(configuration: config, judge: Judge(model: backend, maxReasks: 0, constrained: false), concurrency: 5)
            let scores = dir.path("scores-\(resume).json")
            let builder = try ScoreFileBuilder(outputPath: scores)
            let summary = try await engine.run(inputPath: input, outputPath: items, journalPath: journal, resume: resume,
                                               scoreFile: builder)
            #expect(summary.resumed == (resume ? 60 : 0), "every line but the unreadable one was journaled")
            try builder.commit(metadata: metadata)
            let built = try Data(contentsOf: URL(fileURLWithPath: scores))
            let oracle = try Self.twoPassOracle(resultsPath: items, metadata: metadata)
            #expect(built == oracle)
            #expect(builder.items == 61 && builder.failed == summary.failed)
            files.append(built)
        }
        #expect(files[0] == files[1], "a resumed run writes the same score file")
        // The spill file was unlinked at once: only the outputs are left.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
        #expect(left == ["in.jsonl", "items.jsonl", "journal", "scores-false.json", "scores-true.json"])
    }

    @Test func modelStatisticsStandBesideTheUnchangedAverages() throws {
        let dir = FakeTempDir()
        let output = dir.path("scores.json")
        let builder = try ScoreFileBuilder(outputPath: output)
        func heuristic(_ lek: Double) -> HeuristicScores {
            var h = HeuristicScores(complianceMarkers: 0, formulaicPreamble: 0, firstPerson: 0, creativeForm: 0,
                                    engagementDepth: 0, emotionalRegister: 0, degeneration: 0, emptyBroken: 0)
            h.lekScore = lek
            return h
        }
        // m: lek 1, 2, 6 (mean 3, sd √7, stderr √(7/3)); exact right, wrong, right. solo: one item, no stderr.
        for (index, lek) in [1.0, 2, 6].enumerated() {
            try builder.add(ItemResult(line: index + 1, id: "i\(index)", model: "m", heuristic: heuristic(lek),
                                       standard: ExactMatchResult(correct: index != 1, extracted: "", expected: "")))
        }
        try builder.add(ItemResult(line: 4, id: "s", model: "solo", heuristic: heuristic(-4)))
        try builder.commit(metadata: ScoreFileMetadata(configuration: ScoringConfiguration(suites: [.heuristic, .exact])))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect(Set(root.keys) == ["metadata", "model_averages", "model_statistics", "per_prompt"])
        let averages = try #require(root["model_averages"] as? [String: [String: Double]])
        #expect(averages["m"]?["lek_score"] == 3 && averages["solo"]?["lek_score"] == -4, "averages stay plain numbers")
        let statistics = try #require(root["model_statistics"] as? [String: [String: [String: Any]]])
        let lek = try #require(statistics["m"]?["lek_score"])
        #expect(lek["n"] as? Int == 3 && lek["mean"] as? Double == 3)
        #expect(abs((lek["stderr"] as? Double ?? 0) - (7.0 / 3).squareRoot()) < 1e-12)
        let exact = try #require(statistics["m"]?["exact_accuracy"])
        #expect(abs((exact["mean"] as? Double ?? 0) - 2.0 / 3) < 1e-12)
        #expect(abs((exact["stderr"] as? Double ?? 0) - (1.0 / 9).squareRoot()) < 1e-12)
        let solo = try #require(statistics["solo"]?["lek_score"])
        #expect(solo["n"] as? Int == 1 && solo["stderr"] is NSNull)
        #expect(Set(statistics["m"]!.keys) == Set(averages["m"]!.keys), "one entry per averaged metric")
    }

    @Test func aMissingOutputDirectoryNamesTheFileAndKeepsTheCause() throws {
        let output = "/nonexistent-\(UUID().uuidString)/scores.json"
        let error = try #require(throws: FileError.self) { _ = try ScoreFileBuilder(outputPath: output) }
        #expect(error.path == output)
        #expect(error.description.hasPrefix("'\(output)': destination directory"))
        #expect((error.underlying as? SafeFileError)?.code == .missingDirectory)
    }
}
