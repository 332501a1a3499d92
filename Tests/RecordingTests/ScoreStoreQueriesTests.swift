import Foundation
import Evaluation
import Testing

@testable import Recording

/// Whole-store reads for reports and the change stamp a live report polls.
@Suite struct ScoreStoreQueriesTests {
    @Test func readsEverythingInOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        var late = ScoreStoreTests.checkpoint("ckpt-b")
        late.iteration = 200
        var early = ScoreStoreTests.checkpoint("ckpt-a")
        early.runID = "run-b"
        try store.save(late, probes: [ProbeResultRecord(runID: "run-a", label: "ckpt-b",
                                                        result: ProbeResult(id: "p2", category: "c", passed: true, response: "")),
                                      ProbeResultRecord(runID: "run-a", label: "ckpt-b",
                                                        result: ProbeResult(id: "p1", category: "c", passed: false, response: ""))],
                       items: [ItemScore(runID: "run-a", label: "ckpt-b", itemID: "p1", metric: "capability_reasoning",
                                         suite: "capability", value: nil, error: "no JSON"),
                               ItemScore(runID: "run-a", label: "ckpt-b", itemID: "p1", metric: "lek_score",
                                         suite: "heuristic", value: 3)])
        try store.save(early)
        #expect(try store.allCheckpoints().map(\.key.description) == ["run-a/ckpt-b", "run-b/ckpt-a"])
        #expect(try store.allProbeResults().map(\.result.id) == ["p1", "p2"])
        #expect(try store.allItemScores().count == 2)
        #expect(try store.allItemScores(suite: "capability").map(\.error) == ["no JSON"])
    }

    @Test func changeStampMovesOnInsertAndReplaceOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("scores.sqlite")
        let store = try ScoreStore(path: path)
        let empty = try store.changeStamp()
        #expect(try store.changeStamp() == empty, "reading does not change it")
        try store.save(ScoreStoreTests.checkpoint())
        let one = try store.changeStamp()
        #expect(one != empty)
        try store.save(ScoreStoreTests.checkpoint(accuracy: 70))
        let replaced = try ScoreStore.changeStamp(path: path)
        #expect(replaced != one, "a replaced row (same count) still changes the stamp")
        #expect(try store.changeStamp() == replaced)
    }

    @Test func aMissingStoreIsAnErrorNotCreated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("missing.sqlite")
        #expect(throws: RecordingError.self) { try ScoreStore.changeStamp(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
