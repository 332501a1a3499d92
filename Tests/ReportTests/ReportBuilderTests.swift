import Evaluation
import Foundation
import Recording
@testable import Report
import Testing

/// Golden tests of the data layer: what each chart is given, from fixed store contents and files.
struct ReportBuilderTests {
    private func build(scoreFiles: [Data] = [], probeFile: Bool = false) throws -> ReportData {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storePath = directory.appendingPathComponent("scores.sqlite").path
        _ = try ReportFixtures.smallStore(at: storePath)
        var scorePaths: [String] = []
        for (index, data) in scoreFiles.enumerated() {
            let path = directory.appendingPathComponent("scores-\(index).json").path
            try data.write(to: URL(fileURLWithPath: path))
            scorePaths.append(path)
        }
        var probePaths: [String] = []
        if probeFile {
            let path = directory.appendingPathComponent("probes.json").path
            try ReportFixtures.probeFile().write(to: URL(fileURLWithPath: path))
            probePaths.append(path)
        }
        let input = ReportInput.load(store: storePath, scoreFiles: scorePaths, probeFiles: probePaths)
        return ReportBuilder.build(input)
    }

    private func points(_ chart: LineChart) -> [String: [[Double]]] {
        Dictionary(uniqueKeysWithValues: chart.series.map { ($0.name, $0.points.map { [$0.x, ($0.y * 100).rounded() / 100] }) })
    }

    @Test func capabilityOverallAndPerCategory() throws {
        let data = try build()
        let capability = try #require(data.capability)
        #expect(points(capability.overall) == ["r1": [[100, 33.33], [200, 100]], "r2": [[100, 66.67]]])
        #expect(capability.overall.yMin == 0 && capability.overall.yMax == 100)
        #expect(capability.overall.series[0].points[0].detail == "r1 · r1@100 · iteration 100: 33.3% (1/3, 95% CI 6.1–79.2%)")
        #expect(capability.categories.map(\.title) == ["logic", "math"])
        #expect(points(capability.categories[0]) == ["r1": [[100, 0], [200, 100]], "r2": [[100, 100]]])
        #expect(points(capability.categories[1]) == ["r1": [[100, 50], [200, 100]], "r2": [[100, 50]]])
        #expect(capability.categories[1].series[1].points[0].detail == "r2 · r2@100 · iteration 100 · math: 50.0% (1/2, 95% CI 9.5–90.5%)")

        // Each accuracy point carries its Wilson 95% interval (statsmodels: 1 of 3 → 6.149%–79.234%), drawn as an
        // error bar from the low to the high end at the point's x.
        let first = capability.overall.series[0].points[0]
        #expect(abs(first.low! - 6.149194472039626) < 1e-9 && abs(first.high! - 79.23403991979523) < 1e-9)
        let svg = LineChartSVG.render(capability.overall)
        let g = ChartGeometry(xMin: capability.overall.xMin, xMax: capability.overall.xMax, yMin: 0, yMax: 100)
        let x = ChartGeometry.format(g.x(100))
        #expect(svg.contains("<line class=\"err\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(ChartGeometry.format(g.y(first.low!)))\" y2=\"\(ChartGeometry.format(g.y(first.high!)))\"/>"))
        #expect(svg.components(separatedBy: "class=\"err\"").count - 1 == 3, "one error bar per point")
    }

    @Test func aSampledProbeFileShowsEachProbesTallyAndPassAtK() throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sampled.json").path
        try ReportFixtures.sampledProbeFile().write(to: URL(fileURLWithPath: path))
        let data = ReportBuilder.build(ReportInput.load(store: nil, probeFiles: [path]))
        let matrix = try #require(data.matrix)
        let ids = ProbeSet.builtIn.probes.prefix(2).map(\.id)
        let cells = Dictionary(uniqueKeysWithValues: matrix.rows.map { ($0.probeID, $0.cells[0]) })
        #expect(cells[ids[0]]??.samplesPassed == 4 && cells[ids[0]]??.samples == 4 && cells[ids[0]]??.passed == true)
        #expect(cells[ids[1]]??.samplesPassed == 1 && cells[ids[1]]??.passed == false)
        let html = ProbeMatrixHTML.render(matrix)
        #expect(html.contains("title=\"1 of 4 answers passed (the first failed)\">✗<small>1/4</small></td>"))
        // 5 of 8 answers; pass@1 = mean(1, 1/4) = 62.5%, pass@4 = mean(1, 1) = 100%; Wilson (statsmodels) 30.6–86.3%.
        let entry = try #require(data.reproducibility?.entries.first { $0.source == "sampled.json" && $0.key == "samples" })
        #expect(entry.value == "4 per probe: 5/8 answers passed (95% CI 30.6%–86.3%), pass@1 62.5%, pass@4 100.0%")
    }

    @Test func aStoredCheckpointOfSeveralSamplesShowsEachProbesTally() throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("scores.sqlite").path
        let store = try ScoreStore(path: path)
        // `ml agent --samples 4`: p1's first answer passed and 3 of 4 did; p2's first failed and 1 of 4 passed.
        try store.save(CheckpointScore(runID: "r", label: "r@1", model: "m", iteration: 1, accuracy: 50, correct: 1, total: 2,
                                       judgeReasoning: nil, judgeCorrectness: nil, judgeClarity: nil, judgeAvg: nil, content: nil),
                       probes: [
                           ProbeResultRecord(runID: "r", label: "r@1", result: ProbeResult(id: "p1", category: "c", passed: true, response: "a"),
                                             samplesPassed: 3, samples: 4),
                           ProbeResultRecord(runID: "r", label: "r@1", result: ProbeResult(id: "p2", category: "c", passed: false, response: "b"),
                                             samplesPassed: 1, samples: 4),
                       ])
        let matrix = try #require(ReportBuilder.build(ReportInput.load(store: path)).matrix)
        let html = ProbeMatrixHTML.render(matrix)
        #expect(html.contains("title=\"3 of 4 answers passed (the first passed)\">✓<small>3/4</small></td>"))
        #expect(html.contains("title=\"1 of 4 answers passed (the first failed)\">✗<small>1/4</small></td>"))
    }

    @Test func matrixNewestFirstWithDeduplicatedAnswers() throws {
        let data = try build(probeFile: true)
        let matrix = try #require(data.matrix)
        let builtIn = ProbeSet.builtIn.probes
        #expect(matrix.columns.map(\.name) == ["r1/r1@200", "r1/r1@100", "r2/r2@100", "probes.json"])
        #expect(matrix.columns.map(\.iteration) == [200, 100, 100, nil])
        let p3 = try #require(matrix.rows.first { $0.probeID == "p3" })
        #expect(p3.category == "logic")
        #expect(p3.cells.map { $0?.passed } == [true, false, true, nil])
        #expect(p3.cells.compactMap { $0?.answer }.map { matrix.answers[$0] } == ["answer p3 true", "answer p3 false", "answer p3 true"])
        // Identical answers are stored once: each of 3 probes passed and failed somewhere in the store (6), plus the file's 2.
        #expect(matrix.answers.count == Set(matrix.answers).count)
        #expect(matrix.answers.count == 6 + 2)
        let fileRow = try #require(matrix.rows.first { $0.probeID == builtIn[0].id })
        #expect(fileRow.category == builtIn[0].category)
        #expect(fileRow.cells.map { $0?.passed } == [nil, nil, nil, true])
        // Rows by category, then probe ID.
        let order = matrix.rows.map { [$0.category, $0.probeID] }
        #expect(order == order.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] })
    }

    @Test func judgeDimensionsKeepUnscoredCounts() throws {
        let data = try build()
        let judge = try #require(data.judge)
        #expect(judge.charts.map(\.id) == ["judge-capability-clarity", "judge-capability-correctness",
                                           "judge-capability-reasoning", "judge-content-ccp-compliance"])
        let reasoning = judge.charts[2]
        #expect(points(reasoning) == ["r1": [[100, 5], [200, 9]], "r2": [[100, 5]]])
        #expect(reasoning.series[0].points[0].detail.hasSuffix("5 (2 scored, 1 unscored)"))
        #expect(judge.unscored["judge-capability-reasoning"] == 1)
        #expect(reasoning.note == "1 unscored verdict(s); bars: ± one standard error of the item scores")
        // Bars of ± one standard error where items were scored: r1@100 4 and 6 (se 1), r1@200 8, 9, 10 (se 1/√3);
        // r2@100 has the checkpoint's average only, so no bar.
        let bars = reasoning.series.flatMap(\.points).map { [$0.low, $0.high] }
        #expect(abs(bars[0][0]! - 4) < 1e-12 && abs(bars[0][1]! - 6) < 1e-12)
        #expect(abs(bars[1][0]! - (9 - 1 / 3.0.squareRoot())) < 1e-12 && abs(bars[1][1]! - (9 + 1 / 3.0.squareRoot())) < 1e-12)
        #expect(bars[2] == [nil, nil])
        #expect(LineChartSVG.render(reasoning).components(separatedBy: "class=\"err\"").count - 1 == 2)
        #expect(points(judge.charts[3]) == ["r1": [[200, 7.5]]])
        #expect(judge.unscored["judge-content-ccp-compliance"] == 0)
    }

    @Test func everyIterationChartSharesTheAxis() throws {
        let data = try build()
        let charts = [data.capability!.overall] + data.capability!.categories + data.judge!.charts
        #expect(charts.allSatisfy { $0.xMin == 100 && $0.xMax == 200 })
    }

    @Test func scoreFilesSideBySideWithDeltas() throws {
        let old = try ReportFixtures.scoreFile(["m": ["lek_score": 10, "exact_accuracy": 0.5]])
        let middle = try ReportFixtures.scoreFile(["m": ["lek_score": 11]])
        let new = try ReportFixtures.scoreFile(["m": ["lek_score": 12.5, "exact_accuracy": 0.25], "n": ["lek_score": 3]])
        let comparison = try #require(try build(scoreFiles: [old, middle, new]).comparison)
        #expect(comparison.files == ["scores-0.json", "scores-1.json", "scores-2.json"])
        #expect(comparison.rows.map { "\($0.model).\($0.metric)" } == ["m.exact_accuracy", "m.lek_score", "n.lek_score"])
        #expect(comparison.rows.map(\.values) == [[0.5, nil, 0.25], [10, 11, 12.5], [nil, nil, 3]])
        #expect(comparison.rows.map(\.delta) == [-0.25, 2.5, nil])
        #expect(comparison.rows.allSatisfy { $0.paired == nil }, "no per_prompt entries: nothing to pair")
        #expect(!ComparisonChartSVG.render(comparison).contains("class=\"err\""))
    }

    @Test func pairedScoreFilesGetIntervalsSignificanceAndMDE() throws {
        func file(_ leks: [String: Double]) throws -> Data {
            let entries = leks.sorted { $0.key < $1.key }.map { id, lek -> [String: Any] in
                ["id": id, "model": "m", "heuristic": ["lek_score": lek]]
            }
            let mean = leks.values.reduce(0, +) / Double(leks.count)
            return try ReportFixtures.scoreFile(["m": ["lek_score": mean]], perPrompt: ["m": entries])
        }
        // Differences 1, 3, 1 (SciPy ttest_rel: 95% CI −1.20177…4.53510, p 0.12961).
        let old = try file(["a": 1, "b": 2, "c": 4]), new = try file(["a": 2, "b": 5, "c": 5])
        let comparison = try #require(try build(scoreFiles: [old, new]).comparison)
        let paired = try #require(comparison.rows.first?.paired)
        #expect(paired.n == 3 && !paired.holmSignificant)
        #expect(abs(paired.low! + 1.2017684864996416) < 1e-6 && abs(paired.high! - 4.535101819832975) < 1e-6)
        #expect(abs(paired.pValue! - 0.12961172022151082) < 1e-6)
        #expect(abs(paired.minimumDetectableEffect! - 3.5755419343528567) < 1e-6)
        let svg = ComparisonChartSVG.render(comparison)
        // The whisker on the last bar: the first file's mean 7/3 plus the interval, on the row's scale (largest 4),
        // its high end (6.87, past the scale) clamped to the plot's right edge.
        let width = ChartGeometry.width, half = (width - 240) / 2, zero = 230 + half
        func x(_ value: Double) -> String { ChartGeometry.format(min(width - 10, zero + value / 4 * half)) }
        #expect(svg.contains("<line class=\"err\" x1=\"\(x(7.0 / 3 - 1.2017684864996416))\" x2=\"\(x(7.0 / 3 + 4.535101819832975))\""))
        #expect(svg.contains("<td class=\"num ci\">[-1.202, +4.535]</td><td class=\"num\">0.1296</td><td class=\"num\">3.576</td>"))
        #expect(svg.contains("How sure is this?") && !svg.contains("class=\"sig\""))
    }

    @Test func reproducibilityFromStoreAndFiles() throws {
        let file = try ReportFixtures.scoreFile(["m": ["lek_score": 1]], judge: "qwen-judge")
        let panel = try #require(try build(scoreFiles: [file]).reproducibility)
        func value(_ source: String, _ key: String) -> String? {
            panel.entries.first { $0.source == source && $0.key == key }?.value
        }
        #expect(value("scores.sqlite", "runs") == "r1, r2")
        #expect(value("scores.sqlite", "checkpoints") == "3")
        #expect(value("scores.sqlite", "iterations") == "100 – 200")
        #expect(value("scores.sqlite", "judge item scores") == "6")
        #expect(value("scores-0.json", "judge_model") == "qwen-judge")
        #expect(value("scores-0.json", "reproducibility.judge_model_sha256") == "abc123")
        #expect(value("scores-0.json", "reproducibility.sampler.temperature") == "0.1")
    }

    @Test func sectionsOnlyWhenTheirDataExists() throws {
        let file = try ReportFixtures.scoreFile(["m": ["lek_score": 1]])
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s.json").path
        try file.write(to: URL(fileURLWithPath: path))
        let data = ReportBuilder.build(ReportInput.load(store: nil, scoreFiles: [path]))
        #expect(data.capability == nil && data.matrix == nil && data.judge == nil && data.loss == nil)
        #expect(data.comparison != nil && data.problems.isEmpty)
    }

    @Test func unreadableSourcesAreNamedAndTheRestKept() throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.json").path
        try Data("{\"model_averages\": 3}".utf8).write(to: URL(fileURLWithPath: bad))
        let brokenProbes = directory.appendingPathComponent("probes.json").path
        try Data("{\"probes\": {\"x\": {\"response\": \"r\"}}}".utf8).write(to: URL(fileURLWithPath: brokenProbes))
        let good = directory.appendingPathComponent("good.json").path
        try ReportFixtures.scoreFile(["m": ["lek_score": 1]]).write(to: URL(fileURLWithPath: good))
        let missing = directory.appendingPathComponent("missing.sqlite").path
        let data = ReportBuilder.build(ReportInput.load(store: missing, scoreFiles: [bad, good],
                                                        probeFiles: [brokenProbes]))
        #expect(data.problems.count == 3)
        #expect(data.problems[0] == "store \(missing): no such file")
        #expect(data.problems[1].hasPrefix("score file \(bad): not a score file"))
        #expect(data.problems[2] == "probe-result file \(brokenProbes): probe \"x\": no boolean \"passed\" field")
        #expect(data.comparison?.files == ["good.json"])
        #expect(!FileManager.default.fileExists(atPath: missing), "a missing store is not created")
    }
}

/// The sections fed by the store's training-loss and per-probe judge tables.
struct ReportLossAndJudgeScoreTests {
    private func build() throws -> ReportData {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("scores.sqlite").path
        let store = try ReportFixtures.smallStore(at: path)
        try store.save(trainingLoss: [
            TrainingLossRecord(runID: "r1", model: "smol", iteration: 100, lossType: "train", loss: 2.5, learningRate: 1e-5),
            TrainingLossRecord(runID: "r1", model: "smol", iteration: 200, lossType: "train", loss: 1.5),
            TrainingLossRecord(runID: "r1", model: "smol", iteration: 200, lossType: "val", loss: 1.75),
            TrainingLossRecord(runID: "r1", model: "smol", iteration: 50, lossType: "train", loss: 3),
        ])
        // r2@100 now has per-probe capability verdicts (one unscored): they replace its checkpoint averages.
        try store.save(judgeScores: [
            JudgeScoreRecord(runID: "r2", label: "r2@100", model: "smol", iteration: 100, suite: "capability",
                             probeID: "p1", category: "math", dimension: "reasoning", score: 3),
            JudgeScoreRecord(runID: "r2", label: "r2@100", model: "smol", iteration: 100, suite: "capability",
                             probeID: "p2", category: "math", dimension: "reasoning", score: nil),
        ])
        return ReportBuilder.build(ReportInput.load(store: path))
    }

    @Test func lossPerRunAndTypeOnTheSharedAxis() throws {
        let data = try build()
        let loss = try #require(data.loss)
        #expect(loss.series.map(\.name) == ["r1 · val", "r1 · train"])
        #expect(loss.series[1].points.map { [$0.x, $0.y] } == [[50, 3], [100, 2.5], [200, 1.5]])
        #expect(loss.series[1].points[1].detail == "r1 · iteration 100 · train loss 2.5 · learning rate 1e-05")
        #expect(loss.yMin == 0 && loss.yMax == 3 * 1.05)
        // The loss starts earlier: every iteration chart now spans 50…200.
        #expect(loss.xMin == 50 && loss.xMax == 200)
        #expect(data.capability?.overall.xMin == 50 && data.judge?.charts.first?.xMin == 50)
    }

    @Test func perProbeJudgeScoresReplaceAveragesAndCountUnscored() throws {
        let judge = try #require(try build().judge)
        let reasoning = try #require(judge.charts.first { $0.id == "judge-capability-reasoning" })
        let r2 = try #require(reasoning.series.first { $0.name == "r2" })
        #expect(r2.points.map { [$0.x, $0.y] } == [[100, 3]])
        #expect(r2.points[0].detail.hasSuffix("3 (1 scored, 1 unscored)"))
        #expect(judge.unscored["judge-capability-reasoning"] == 2, "r1@100's unscored item and r2@100's verdict")
        // r2's checkpoint averages (clarity, correctness) are no longer used, and nothing else had those dimensions.
        #expect(!judge.charts.contains { $0.id == "judge-capability-clarity" })
    }
}
