import Evaluation
import Foundation
import GRDB
import Testing

@testable import Recording

/// The SQLite score store: schema, upserts, reads, persistence and open errors.
@Suite struct ScoreStoreTests {
    static let scoredAt = Date(timeIntervalSince1970: 1_735_689_600.5)

    static func checkpoint(_ label: String = "ckpt-1", accuracy: Double = 50) -> CheckpointScore {
        CheckpointScore(
            runID: "run-a",
            label: label,
            model: "m",
            iteration: 1,
            accuracy: accuracy,
            correct: 5,
            total: 10,
            judgeReasoning: 7,
            judgeCorrectness: 8,
            judgeClarity: 6,
            judgeAvg: 7,
            content: ["tone": 6.5, "accuracy": 9],
            scoredAt: scoredAt
        )
    }

    @Test func freshFileIsMigrated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3"])
        #expect(try store.tableNames().isSuperset(of: ["checkpoint_scores", "probe_results", "item_scores", "training_loss", "judge_scores"]))
        #expect(try store.scoredKeys().isEmpty)
        #expect(FileManager.default.fileExists(atPath: dir.path("scores.sqlite")))
    }

    @Test func savesAndReadsEveryColumn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        let probes = [
            ProbeResultRecord(
                runID: "run-a",
                label: "ckpt-1",
                result: ProbeResult(id: "p2", category: "math", passed: true, response: "4")
            ),
            ProbeResultRecord(runID: "run-a", label: "ckpt-1",
                              result: ProbeResult(id: "p1", category: "logic", passed: false, response: "")),
        ]
        let items = [
            ItemScore(runID: "run-a", label: "ckpt-1", itemID: "i1", metric: "exact", suite: "gsm", value: 1),
            ItemScore(
                runID: "run-a",
                label: "ckpt-1",
                itemID: "i2",
                metric: "exact",
                suite: "gsm",
                value: nil,
                error: "timeout"
            ),
        ]
        try store.save(Self.checkpoint(), probes: probes, items: items)
        let saved = try #require(try store.checkpoint(runID: "run-a", label: "ckpt-1"))
        #expect(saved == Self.checkpoint())
        #expect(try store.probeResults(runID: "run-a", label: "ckpt-1") == probes.sorted { $0.result.id < $1.result.id })
        #expect(try store.itemScores(runID: "run-a", label: "ckpt-1") == items)

        var bare = Self.checkpoint("ckpt-2")
        (bare.judgeReasoning, bare.judgeCorrectness, bare.judgeClarity, bare.judgeAvg, bare.content) = (
            nil, nil, nil, nil, nil
        )
        try store.save(bare)
        #expect(try store.checkpoint(runID: "run-a", label: "ckpt-2") == bare)
        #expect(try store.checkpoint(runID: "run-a", label: "nope") == nil)
    }

    @Test func upsertReplaces() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        let probe = ProbeResultRecord(runID: "run-a", label: "ckpt-1",
                                      result: ProbeResult(id: "p1", category: "c", passed: false, response: ""))
        try store.save(Self.checkpoint(accuracy: 10), probes: [probe])
        var passed = probe
        passed.result.passed = true
        try store.save(Self.checkpoint(accuracy: 90), probes: [passed])
        #expect(try store.checkpoint(runID: "run-a", label: "ckpt-1")?.accuracy == 90)
        #expect(try store.probeResults(runID: "run-a", label: "ckpt-1") == [passed])
        #expect(try store.scoredKeys().count == 1)
        let item = ItemScore(
            runID: "run-a",
            label: "ckpt-1",
            itemID: "i",
            metric: "m",
            suite: "s",
            value: nil,
            error: "x"
        )
        try store.save(items: [item])
        var fixed = item
        (fixed.value, fixed.error) = (0.5, nil)
        try store.save(items: [fixed])
        #expect(try store.itemScores(runID: "run-a", label: "ckpt-1") == [fixed])
    }

    @Test func probeResultsSavedAloneAreReplacedNotDuplicatedAndDoNotMarkScored() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        let first = ProbeResultRecord(runID: "run-a", label: "ckpt-1",
                                      result: ProbeResult(id: "p1", category: "math", passed: false, response: "41"))
        try store.save(probes: [first])
        var again = first
        (again.result.passed, again.result.response) = (true, "42")
        try store.save(probes: [again, ProbeResultRecord(runID: "run-a", label: "ckpt-1",
                                                         result: ProbeResult(id: "p2", category: "code", passed: true, response: ""))])
        let stored = try store.probeResults(runID: "run-a", label: "ckpt-1").sorted { $0.result.id < $1.result.id }
        #expect(stored.map(\.result.id) == ["p1", "p2"])
        #expect(stored.first?.result.passed == true)
        #expect(stored.first?.result.response == "42")
        #expect(try !store.isScored(runID: "run-a", label: "ckpt-1"))
    }

    @Test func isScoredAndScoredKeys() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        #expect(try !store.isScored(runID: "run-a", label: "ckpt-1"))
        try store.save(Self.checkpoint("ckpt-1"))
        try store.save(Self.checkpoint("ckpt-2"))
        // Item scores alone do not make a checkpoint scored.
        try store.save(items: [
            ItemScore(runID: "run-a", label: "ckpt-3", itemID: "i", metric: "m", suite: "s", value: 1)
        ])
        #expect(try store.isScored(runID: "run-a", label: "ckpt-1"))
        #expect(try !store.isScored(runID: "run-a", label: "ckpt-3"))
        #expect(try !store.isScored(runID: "run-b", label: "ckpt-1"))
        #expect(
            try store.scoredKeys() == [
                CheckpointKey(runID: "run-a", label: "ckpt-1"), CheckpointKey(runID: "run-a", label: "ckpt-2"),
            ]
        )
    }

    /// The row is the evaluation's result with its checkpoint: the columns are exactly the reference's, and a row
    /// written without a response (by another writer) reads back with an empty one.
    @Test func probeResultRowsMapToTheEvaluationsResult() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        let result = ProbeResult(id: "p1", category: "math", passed: true, incomplete: true, response: "4", error: "x")
        try store.save(probes: [ProbeResultRecord(runID: "run-a", label: "ckpt-1", result: result)])
        let queue = try DatabaseQueue(path: dir.path("scores.sqlite"))
        let row = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM probe_results") })
        #expect(Set(row.columnNames) == ["run_id", "label", "probe_id", "category", "passed", "response", "samples_passed", "samples"])
        #expect(row["samples"] as Int? == nil, "one answer per probe leaves the tally empty")
        #expect(row["probe_id"] as String? == "p1")
        #expect(row["category"] as String? == "math")
        #expect(row["passed"] as Bool? == true)
        #expect(row["response"] as String? == "4")
        try queue.write {
            try $0.execute(sql: """
                INSERT INTO probe_results (run_id, label, probe_id, category, passed, response)
                VALUES ('run-a', 'ckpt-1', 'p2', 'code', 0, NULL)
                """)
        }
        #expect(try store.probeResults(runID: "run-a", label: "ckpt-1").map(\.result) == [
            ProbeResult(id: "p1", category: "math", passed: true, response: "4"),
            ProbeResult(id: "p2", category: "code", passed: false, response: ""),
        ])
        // `ml agent --samples 5`: the first answer's row with its tally.
        try store.save(probes: [ProbeResultRecord(runID: "run-a", label: "ckpt-2", result: result, samplesPassed: 3, samples: 5)])
        let sampled = try #require(try store.probeResults(runID: "run-a", label: "ckpt-2").first)
        #expect(sampled.samplesPassed == 3 && sampled.samples == 5 && sampled.result.passed)
    }

    @Test func dataPersistsAcrossReopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("scores.sqlite")
        do {
            let store = try ScoreStore(path: path)
            try store.save(
                Self.checkpoint(),
                probes: [
                    ProbeResultRecord(runID: "run-a", label: "ckpt-1",
                                      result: ProbeResult(id: "p", category: "c", passed: true, response: ""))
                ]
            )
        }
        let reopened = try ScoreStore(path: path)
        #expect(try reopened.appliedMigrations() == ["v1", "v2", "v3"])
        #expect(try reopened.checkpoint(runID: "run-a", label: "ckpt-1") == Self.checkpoint())
        #expect(try reopened.probeResults(runID: "run-a", label: "ckpt-1").map(\.result.id) == ["p"])
    }

    @Test func unopenablePathIsAClearError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missingDirectory = dir.path("no/such/dir/scores.sqlite")
        let error = #expect(throws: RecordingError.self) { try ScoreStore(path: missingDirectory) }
        #expect(error?.code == .store)
        #expect(error?.message.contains("cannot open the score store at \(missingDirectory)") == true)

        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: dir.path("garbage.sqlite")))
        let garbage = #expect(throws: RecordingError.self) { try ScoreStore(path: dir.path("garbage.sqlite")) }
        #expect(garbage?.code == .store)
        #expect(garbage?.message.contains("garbage.sqlite") == true)
    }
}
