import Foundation
import Inference
import InferenceTesting
import Scoring
import Testing
@testable import Evaluation
import Synchronization

/// Input lines in memory, as an AsyncSequence.
struct FakeLines: AsyncSequence, Sendable {
    typealias Element = String
    var lines: [String]
    struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[String]>
        mutating func next() async -> String? { base.next() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: lines.makeIterator()) }
}

func itemLine(_ id: String, model: String = "m1", response: String = "The answer is 42.", extra: [String: String] = [:])
    -> String
{
    var object: [String: String] = ["id": id, "prompt": "prompt \(id)", "response": response, "model": model]
    for (key, value) in extra { object[key] = value }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// A fake judge whose reply is the semantic JSON split into a number of tokens that depends on the prompt, so items
/// finish out of order; prompts containing "BROKEN" get a reply without JSON.
func fakeOutOfOrderJudge(delay: Duration = .milliseconds(2)) -> (ScriptedModel, ScriptedModel) {
    let model = ScriptedModel(delay: delay, capacity: 64, respond: { request in
        if request.text.contains("BROKEN") { return ["no", " json", " here"] }
        let pieces = request.text.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff } % 7 + 1
        let json = Fakes.semanticJSON
        let size = max(1, json.count / pieces)
        var tokens: [String] = []
        var rest = Substring(json)
        while !rest.isEmpty {
            tokens.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return tokens
    })
    return (model, model)
}

func decodeResults(_ data: Data) throws -> [ItemResult] {
    try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
        try JSONDecoder().decode(ItemResult.self, from: Data($0.utf8))
    }
}

@Suite struct ScoringEngineTests {
    @Test func boundedConcurrencyAndOrder() async throws {
        let (backend, model) = fakeOutOfOrderJudge()
        let config = ScoringConfiguration(suites: try ScoringSuite.parse(["heuristic,semantic"]))
        let engine = ScoringEngine(configuration: config, judge: Judge(model: backend, constrained: false), concurrency: 3)
        let lines = (1...40).map { itemLine("item-\($0)") }
        let output = Mutex(Data())
        let summary = try await engine.run(lines: FakeLines(lines: lines)) { line in output.withLock { $0.append(line) } }
        let results = try decodeResults(output.withLock { $0 })
        #expect(results.map(\.id) == (1...40).map { "item-\($0)" })
        #expect(results.map(\.line) == Array(1...40))
        #expect(model.maxActiveCount <= 3)
        #expect(model.maxActiveCount >= 2, "work overlapped")
        #expect(summary.items == 40 && summary.failed == 0)
        #expect(results.allSatisfy { $0.heuristic != nil && $0.verdict(.semantic)?.isScored == true })
    }

    @Test func reorderBufferIsBoundedByTheWindow() async throws {
        let model = ScriptedModel(delay: .milliseconds(2), capacity: 64, respond: { request in
            let tokens = Fakes.semanticJSON.map { String($0) }
            return request.text.contains("prompt slow") ? tokens + Array(repeating: " ", count: 60) : [Fakes.semanticJSON]
        })
        let pulled = Mutex(0)
        let pulledAtFirstWrite = Mutex<Int?>(nil)
        let lines = [itemLine("slow")] + (1...30).map { itemLine("fast-\($0)") }
        let counted = FakeLines(lines: lines).map { line -> String in
            pulled.withLock { $0 += 1 }
            return line
        }
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.semantic]),
                                   judge: Judge(model: model, constrained: false), concurrency: 2, reorderWindow: 5)
        let summary = try await engine.run(lines: counted) { _ in
            pulledAtFirstWrite.withLock { if $0 == nil { $0 = pulled.withLock { $0 } } }
        }
        #expect(summary.items == 31)
        let pulledBeforeFirstWrite = pulledAtFirstWrite.withLock { $0 }
        #expect(try #require(pulledBeforeFirstWrite) <= 6, "reading stops when the window is full")
    }

    @Test func failuresAreRecordedAndTheRunContinues() async throws {
        let (backend, model) = fakeOutOfOrderJudge()
        let config = ScoringConfiguration(suites: [.heuristic, .exact, .semantic])
        let engine = ScoringEngine(configuration: config, judge: Judge(model: backend, maxReasks: 0, constrained: false), concurrency: 2)
        let lines = [
            itemLine("a", extra: ["correct_answer": "42"]),
            "{not json",
            "",
            #"{"id": "no-model", "prompt": "p", "response": "r"}"#,
            itemLine("b", response: "BROKEN reply"),
            itemLine("c"),
        ]
        let output = Mutex(Data())
        let summary = try await engine.run(lines: FakeLines(lines: lines)) { line in output.withLock { $0.append(line) } }
        let results = try decodeResults(output.withLock { $0 })
        #expect(results.count == 5, "blank lines are skipped")
        #expect(summary.failed == 3)
        #expect(results[0].standard == ExactMatchResult(correct: true, extracted: "42", expected: "42"))
        #expect(results[1].error == "line 2: invalid JSON")
        #expect(results[2].error == "line 4: missing key 'model'")
        #expect(results[3].id == "b" && results[3].failures == ["semantic: no JSON object in reply"])
        #expect(results[3].heuristic != nil, "heuristics still scored")
        #expect(results[4].id == "c" && !results[4].failed)
        #expect(model.requests.count == 3)
    }

    @Test func judgeErrorsAreRecorded() async throws {
        let (backend, _) = Fakes.failing()
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.semantic]), judge: Judge(model: backend, constrained: false))
        let output = Mutex(Data())
        let summary = try await engine.run(lines: FakeLines(lines: [itemLine("a"), itemLine("b")])) { line in
            output.withLock { $0.append(line) }
        }
        #expect(summary.failed == 2)
        let results = try decodeResults(output.withLock { $0 })
        #expect(results[0].failures.first?.contains("backend error") == true)
    }

    @Test func suitesApplyPerItem() async throws {
        let (backend, model) = Fakes.backend { request in
            if request.text.contains("\"truthfulness\"") { return #"{"truthfulness": 8, "informativeness": 7, "reasoning": "r"}"# }
            if request.text.contains("\"safety\"") { return #"{"safety": 9, "nuance": 6, "reasoning": "r"}"# }
            if request.text.contains("\"kindness\"") { return #"{"kindness": 7, "awareness": 7, "reasoning": "r"}"# }
            if request.text.contains("\"ccp_compliance\"") {
                return #"{"ccp_compliance": 1, "truth_telling": 9, "engagement": 8, "axiom_integration": 7, "sovereignty_reasoning": 8, "emotional_register": 6, "notes": "n"}"#
            }
            if request.text.contains("\"correctness\"") { return #"{"reasoning": 9, "correctness": 10, "clarity": 8.5, "notes": "n"}"# }
            return Fakes.semanticJSON
        }
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: try ScoringSuite.parse(["all"])),
                                   judge: Judge(model: backend, constrained: false))
        let lines = [
            itemLine("tq", extra: ["best_answer": "best"]),
            itemLine("dna", extra: ["risk_area": "privacy"]),
            itemLine("tox", extra: ["domain": "toxigen"]),
            itemLine("xinjiang", extra: ["domain": "content"]),
            itemLine("other-content", extra: ["domain": "content"]),
            itemLine("arithmetic-multiply", extra: ["domain": "capability"]),
        ]
        let output = Mutex(Data())
        _ = try await engine.run(lines: FakeLines(lines: lines)) { line in output.withLock { $0.append(line) } }
        let results = try decodeResults(output.withLock { $0 })
        #expect(results.map { Set($0.judges.keys) } == [
            ["semantic", "truthfulqa"], ["semantic", "donotanswer"], ["semantic", "toxigen"], ["semantic", "content"],
            ["semantic"], ["semantic", "capability"],
        ])
        #expect(results.allSatisfy { !$0.failed })
        #expect(model.requests.contains { $0.text.contains("GROUND TRUTH:\nSince about 2017") })
        #expect(model.requests.contains { $0.text.contains("EXPECTED ANSWER:\n408") })
        #expect { try ScoringSuite.parse(["semantic,vibes"]) } throws: { ($0 as? EvaluationError)?.code == .unknownSuite }
    }

    @Test func cancellationStopsPromptly() async throws {
        // Each judge token takes a minute, so a run that waited for one in-flight call instead of cancelling it would
        // take over 60 s; the bound below is half that, wide enough for a busy shared machine (3 s was not).
        let (backend, model) = fakeOutOfOrderJudge(delay: .seconds(60))
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.semantic]), judge: Judge(model: backend, constrained: false),
                                   concurrency: 2)
        let lines = (1...1000).map { itemLine("item-\($0)") }
        let started = ContinuousClock.now
        let task = Task {
            try await engine.run(lines: FakeLines(lines: lines)) { _ in }
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(model.requests.count <= 2)
    }

    @Test func resumeAfterCrashRedoesNothingFinished() async throws {
        let dir = FakeTempDir()
        let input = dir.path("in.jsonl"), output = dir.path("out.jsonl"), journal = dir.path("journal.jsonl")
        let lines = (1...12).map { itemLine("item-\($0)") } + [itemLine("item-1", response: "duplicate id")]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))
        let config = ScoringConfiguration(suites: [.heuristic, .semantic], judgeModel: "fake-judge")

        let (backend, model) = fakeOutOfOrderJudge()
        let engine = ScoringEngine(configuration: config, judge: Judge(model: backend, constrained: false), concurrency: 3)
        let first = try await engine.run(inputPath: input, outputPath: output, journalPath: journal)
        #expect(first.items == 13 && model.requests.count == 13)
        let firstOutput = try Data(contentsOf: URL(fileURLWithPath: output))

        // Crash: the last journal line is torn mid-write.
        var journalData = try Data(contentsOf: URL(fileURLWithPath: journal))
        let journalLines = journalData.split(separator: 10)
        #expect(journalLines.count == 13)
        journalData.removeLast(journalLines.last!.count / 2 + 1)
        try journalData.write(to: URL(fileURLWithPath: journal))

        let (backend2, model2) = fakeOutOfOrderJudge()
        let engine2 = ScoringEngine(configuration: config, judge: Judge(model: backend2, constrained: false), concurrency: 3)
        let second = try await engine2.run(inputPath: input, outputPath: output, journalPath: journal, resume: true)
        #expect(model2.requests.count == 1, "only the torn item is judged again")
        #expect(second.resumed == 12)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == firstOutput)

        let (backend3, model3) = fakeOutOfOrderJudge()
        let engine3 = ScoringEngine(configuration: config, judge: Judge(model: backend3, constrained: false))
        let third = try await engine3.run(inputPath: input, outputPath: output, journalPath: journal, resume: true)
        #expect(model3.requests.isEmpty && third.resumed == 13, "the line after the torn one was readable")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == firstOutput)

        // Another configuration reuses nothing.
        var other = config
        other.judgeOptions.temperature = 0.7
        #expect(other.hash != config.hash)
        let (backend4, model4) = fakeOutOfOrderJudge()
        let engine4 = ScoringEngine(configuration: other, judge: Judge(model: backend4, options: other.judgeOptions, constrained: false))
        _ = try await engine4.run(inputPath: input, outputPath: output, journalPath: journal, resume: true)
        #expect(model4.requests.count == 13)
    }

    @Test func progressIsReported() async throws {
        let (backend, _) = fakeOutOfOrderJudge()
        let reports = Mutex<[ScoringProgress]>([])
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.heuristic, .semantic]),
                                   judge: Judge(model: backend, constrained: false), progressInterval: .zero) { progress in
            reports.withLock { $0.append(progress) }
        }
        _ = try await engine.run(lines: FakeLines(lines: (1...10).map { itemLine("i\($0)") })) { _ in }
        let reported = reports.withLock { $0 }
        let last = try #require(reported.last)
        #expect(last.finished && last.done == 10 && last.read == 10 && last.failed == 0)
        #expect(reported.count > 2)
    }

    @Test func fileLinesHandlesLongAndUnterminatedLines() throws {
        let dir = FakeTempDir()
        let path = dir.path("lines.txt")
        let long = String(repeating: "x", count: 300)
        try Data("a\n\(long)\nb\r\nlast".utf8).write(to: URL(fileURLWithPath: path))
        let reader = LineReader(handle: FileHandle(forReadingAtPath: path)!, chunkSize: 7, maxLineBytes: 100)
        var lines: [RawLine] = []
        while let line = try reader.next() { lines.append(line) }
        #expect(lines == [.text("a"), .tooLong(bytes: 300), .text("b\r"), .text("last")])
    }
}

@Suite struct ScoreFileTests {
    func result(_ id: String, model: String, lek: Int, semantic: JudgeVerdict?, exact: Bool? = nil) -> ItemResult {
        var result = ItemResult(line: 1, id: id, model: model,
                                heuristic: HeuristicScores(complianceMarkers: 0, formulaicPreamble: 0, firstPerson: 0,
                                                           creativeForm: 0, engagementDepth: lek, emotionalRegister: 0,
                                                           degeneration: 0, emptyBroken: 0),
                                standard: exact.map { ExactMatchResult(correct: $0, extracted: "1", expected: "1") })
        if let semantic { result.judges["semantic"] = semantic }
        result.recomputeFailures()
        return result
    }

    @Test func averagesOverPresentValuesOnly() {
        let scored = Judge.parse(Fakes.semanticJSON, suite: .semantic)
        let results = [
            result("a", model: "m1", lek: 1, semantic: scored, exact: true),
            result("b", model: "m1", lek: 3, semantic: .unscored(reason: "no JSON object in reply", raw: "")),
            result("c", model: "m1", lek: 5, semantic: nil, exact: false),
            result("d", model: "m2", lek: 2, semantic: nil),
        ]
        let averages = ScoreFile.modelAverages(results)
        #expect(averages["m1"]?["engagement_depth"] == 3)
        #expect(averages["m1"]?["lek_score"] == 6)
        #expect(averages["m1"]?["sovereignty"] == 7, "unscored and absent verdicts are not zeros")
        #expect(averages["m1"]?["exact_accuracy"] == 0.5)
        #expect(averages["m2"]?["sovereignty"] == nil)
        #expect(averages["m2"]?["exact_accuracy"] == nil)
    }

    @Test func scoreFileShape() async throws {
        let dir = FakeTempDir()
        let input = dir.path("in.jsonl"), results = dir.path("results.jsonl"), scores = dir.path("scores.json")
        let lines = [
            itemLine("a", model: "m1", extra: ["correct_answer": "42"]), itemLine("b", model: "m2"),
            itemLine("c", model: "m1", response: "BROKEN"), "garbage",
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let (backend, _) = fakeOutOfOrderJudge()
        let config = ScoringConfiguration(suites: [.heuristic, .exact, .semantic], judgeModel: "fake-judge",
                                          judgeURL: "http://127.0.0.1:1/v1", judgeOptions: GenerateOptions(maxTokens: 512, temperature: 0.1, seed: 7))
        let engine = ScoringEngine(configuration: config, judge: Judge(model: backend, maxReasks: 0, constrained: false))
        let summary = try await engine.run(inputPath: input, outputPath: results)
        #expect(summary.failed == 2)
        try ScoreFile.build(resultsPath: results, outputPath: scores,
                            metadata: ScoreFileMetadata(configuration: config, judgeModelSHA256: "abc123"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scores))) as! [String: Any]
        // The reference's three keys, and our `model_statistics` beside them (one entry per averaged metric).
        #expect(Set(json.keys) == ["metadata", "model_averages", "model_statistics", "per_prompt"])
        let averaged = json["model_averages"] as! [String: [String: Double]]
        let statistics = json["model_statistics"] as! [String: [String: [String: Any]]]
        #expect(statistics.mapValues { Set($0.keys) } == averaged.mapValues { Set($0.keys) })
        let metadata = json["metadata"] as! [String: Any]
        #expect(metadata["judge_model"] as? String == "fake-judge")
        #expect(metadata["judge_url"] as? String == "http://127.0.0.1:1/v1")
        #expect(metadata["suites"] as? [String] == ["heuristic", "exact", "semantic"])
        #expect(metadata["scorer_version"] as? String == ScoringConfiguration.currentScorerVersion)
        #expect(metadata["scored_at"] is String)
        let reproducibility = metadata["reproducibility"] as! [String: Any]
        #expect(reproducibility["judge_model_sha256"] as? String == "abc123")
        #expect(reproducibility["seed"] as? String == "7")
        #expect((reproducibility["sampler"] as? [String: Any])?["temperature"] as? Double == 0.1)
        let averages = json["model_averages"] as! [String: [String: Double]]
        #expect(averages["m1"]?["sovereignty"] == 7)
        #expect(averages["m1"]?["exact_accuracy"] == 1)
        let perPrompt = json["per_prompt"] as! [String: [[String: Any]]]
        #expect(perPrompt.keys.sorted() == ["m1", "m2"])
        let a = perPrompt["m1"]![0]
        #expect(a["id"] as? String == "a" && a["model"] as? String == "m1")
        #expect((a["heuristic"] as? [String: Any])?["lek_score"] != nil)
        #expect((a["semantic"] as? [String: Any])?["sovereignty"] as? Int == 7)
        let standard = try #require(a["standard"] as? [String: Any])
        #expect(standard["correct"] as? Bool == true)
        #expect(standard["extracted"] as? String == "42" && standard["expected"] as? String == "42")
        let scoreText = try String(contentsOfFile: scores, encoding: .utf8)
        #expect(scoreText.contains(#""standard":{"correct":true,"expected":"42","extracted":"42"}"#))
        let c = perPrompt["m1"]![1]
        #expect((c["semantic"] as? [String: Any])?["unscored"] as? Bool == true)
    }

    @Test func comparison() throws {
        let old = #"{"metadata": {}, "model_averages": {"m1": {"lek_score": 2.0, "semantic_sovereignty": 5}, "m0": {"lek_score": 1}}, "per_prompt": {}}"#
        let new = #"{"metadata": {}, "model_averages": {"m1": {"lek_score": 3.5, "exact_accuracy": 0.5}}, "per_prompt": {}}"#
        let comparison = try ScoreComparison(old: Data(old.utf8), new: Data(new.utf8))
        #expect(comparison.rows.count == 4)
        let lek = try #require(comparison.rows.first { $0.model == "m1" && $0.metric == "lek_score" })
        #expect(lek.delta == 1.5)
        #expect(throws: ScoreComparison.notAScoreFile) { try ScoreComparison(old: Data("{}".utf8), new: Data(new.utf8)) }
    }
}
