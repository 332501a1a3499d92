import Evaluation
import Foundation
import Recording

/// Fixed store contents and files the report tests build on.
enum ReportFixtures {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let scoredAt = Date(timeIntervalSince1970: 1_739_577_600)

    /// Run "r1" at iterations 100 and 200, run "r2" at 100; probes p1, p2 (math) and p3 (logic); judge items for
    /// r1 (one unscored), only the checkpoint averages for r2; content scores on r1@200.
    static func smallStore(at path: String) throws -> ScoreStore {
        let store = try ScoreStore(path: path)
        func checkpoint(_ run: String, _ iteration: Int, correct: Int, content: [String: Double]? = nil,
                        judge: Double? = nil) -> CheckpointScore {
            CheckpointScore(runID: run, label: "\(run)@\(iteration)", model: "smol", iteration: iteration,
                            accuracy: Double(correct) / 3 * 100, correct: correct, total: 3,
                            judgeReasoning: judge, judgeCorrectness: judge, judgeClarity: judge, judgeAvg: judge,
                            content: content, scoredAt: scoredAt.addingTimeInterval(Double(iteration)))
        }
        func probes(_ run: String, _ iteration: Int, _ passed: [Bool]) -> [ProbeResultRecord] {
            zip(["p1", "p2", "p3"], passed).map { id, ok in
                ProbeResultRecord(runID: run, label: "\(run)@\(iteration)",
                                  result: ProbeResult(id: id, category: id == "p3" ? "logic" : "math", passed: ok,
                                                      response: "answer \(id) \(ok)"))
            }
        }
        func items(_ run: String, _ iteration: Int, _ reasoning: [Double?]) -> [ItemScore] {
            zip(["p1", "p2", "p3"], reasoning).map { id, value in
                ItemScore(runID: run, label: "\(run)@\(iteration)", itemID: id, metric: "capability_reasoning",
                          suite: "capability", value: value, error: value == nil ? "no JSON" : nil)
            }
        }
        try store.save(checkpoint("r1", 100, correct: 1), probes: probes("r1", 100, [true, false, false]),
                       items: items("r1", 100, [4, 6, nil]))
        try store.save(checkpoint("r1", 200, correct: 3, content: ["ccp_compliance": 7.5]),
                       probes: probes("r1", 200, [true, true, true]), items: items("r1", 200, [8, 9, 10]))
        try store.save(checkpoint("r2", 100, correct: 2, judge: 5), probes: probes("r2", 100, [false, true, true]))
        return store
    }

    /// A score file in our shape with the given model averages and a reproducibility record.
    static func scoreFile(_ averages: [String: [String: Double]], judge: String = "judge.gguf",
                          perPrompt: [String: Any] = [:]) throws -> Data {
        let object: [String: Any] = [
            "metadata": ["judge_model": judge, "scorer_version": "1.0",
                         "reproducibility": ["judge_model_sha256": "abc123", "sampler": ["temperature": 0.1]]],
            "model_averages": averages,
            "per_prompt": perPrompt,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The probe-result file of `ml probe --samples 4` over the built-in probes' first two IDs: the first passes 4
    /// of 4, the second 1 of 4 (its first answer failed).
    static func sampledProbeFile() throws -> Data {
        let probes = ProbeSet.builtIn.probes.prefix(2)
        let reports = (0..<4).map { sample in
            ProbeReport(results: probes.enumerated().map { index, probe in
                ProbeResult(id: probe.id, category: probe.category, passed: index == 0 || sample == 3, response: "reply \(sample)")
            })
        }
        return try reports[0].encodeReferenceJSON(samples: ProbeSamples(reports: reports))
    }

    /// A reference-shaped probe-result file with the built-in probes' first two IDs.
    static func probeFile() throws -> Data {
        let ids = ProbeSet.builtIn.probes.prefix(2).map(\.id)
        var report = ProbeReport(results: [])
        for (index, id) in ids.enumerated() {
            let probe = ProbeSet.builtIn.probes.first { $0.id == id }!
            report.results.append(ProbeResult(id: id, category: probe.category, passed: index == 0, response: "reply \(index)"))
        }
        return try report.encodeReferenceJSON()
    }
}
