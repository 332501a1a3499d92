import Evaluation
import Foundation
import Recording
@testable import Report
import Testing

/// 200 checkpoints × 50 probes (two runs of 100 checkpoints, 5 categories, three judge dimensions per probe):
/// generates the store, then measures reading, building and rendering, and the page's size. Figures are printed
/// (performance is measured, not asserted in time); the size bound keeps the page openable.
@Suite(.serialized) struct ReportScaleTests {
    static let runs = 2, checkpointsPerRun = 100, probes = 50

    /// Writes the large store at `path` (deterministic pseudo-random verdicts and answers).
    static func largeStore(at path: String) throws {
        let store = try ScoreStore(path: path)
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        for run in 0..<runs {
            for step in 1...checkpointsPerRun {
                let runID = "run-\(run)", label = "ckpt-\(step * 100)", iteration = step * 100
                var results: [ProbeResultRecord] = [], items: [ItemScore] = []
                for probe in 0..<probes {
                    let passed = next() % 100 < UInt64(30 + step / 2)
                    let answer = "Answer \(next() % 40) to probe \(probe): " + String(repeating: "some reasoning text ", count: 8)
                    results.append(ProbeResultRecord(runID: runID, label: label,
                                                     result: ProbeResult(id: "probe-\(probe)", category: "category-\(probe % 5)",
                                                                         passed: passed, response: answer)))
                    for dimension in ["reasoning", "correctness", "clarity"] {
                        let unscored = next() % 20 == 0
                        items.append(ItemScore(runID: runID, label: label, itemID: "probe-\(probe)",
                                               metric: "capability_\(dimension)", suite: "capability",
                                               value: unscored ? nil : Double(next() % 11), error: unscored ? "no JSON" : nil))
                    }
                }
                let correct = results.filter(\.result.passed).count
                try store.save(CheckpointScore(runID: runID, label: label, model: "smol", iteration: iteration,
                                               accuracy: Double(correct) / Double(probes) * 100, correct: correct,
                                               total: probes, content: ["ccp_compliance": Double(next() % 11)]),
                               probes: results, items: items)
            }
        }
    }

    @Test func twoHundredCheckpointsByFiftyProbes() throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("large.sqlite").path
        try Self.largeStore(at: path)
        let clock = ContinuousClock()
        var input = ReportInput()
        let read = clock.measure { input = ReportInput.load(store: path) }
        var data = ReportData()
        let build = clock.measure { data = ReportBuilder.build(input) }
        var html = ""
        let render = clock.measure { html = ReportPage.render(data) }
        let size = html.utf8.count
        print("report scale: 200 checkpoints × 50 probes: read \(read), build \(build), render \(render), \(size / 1024) KiB")
        let matrix = try #require(data.matrix)
        #expect(matrix.columns.count == Self.runs * Self.checkpointsPerRun)
        #expect(matrix.rows.count == Self.probes)
        #expect(data.capability?.overall.series.map(\.points.count) == [Self.checkpointsPerRun, Self.checkpointsPerRun])
        #expect(data.capability?.categories.count == 5)
        #expect(size < 8 << 20, "the page should stay well under 8 MiB, is \(size) bytes")
        try Data(html.utf8).write(to: URL(fileURLWithPath: directory.appendingPathComponent("large.html").path))
    }
}
