import Foundation
import Testing

@testable import Recording

/// The score store's training-loss and judge-score tables: upsert keys, nil scores, ordering and run filters.
@Suite struct ScoreStoreLossAndJudgeTests {
    static func loss(_ run: String, _ iteration: Int, _ type: String, _ loss: Double) -> TrainingLossRecord {
        TrainingLossRecord(runID: run, model: "m", iteration: iteration, lossType: type, loss: loss)
    }

    static func judge(
        _ run: String, _ label: String, _ suite: String, _ probe: String, _ dimension: String, _ score: Double?
    ) -> JudgeScoreRecord {
        JudgeScoreRecord(
            runID: run, label: label, model: "m", iteration: 100, suite: suite, probeID: probe,
            category: suite == "capability" ? "math" : nil, dimension: dimension, score: score
        )
    }

    @Test func trainingLossUpsertsOnRunIterationAndTypeAndReadsInOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        var full = Self.loss("run-b", 10, "train", 2.5)
        (full.learningRate, full.iterationsPerSecond, full.tokensPerSecond) = (1e-5, 0.25, 120.5)
        try store.save(trainingLoss: [
            full, Self.loss("run-a", 20, "train", 1.9), Self.loss("run-a", 10, "val", 2.2),
            Self.loss("run-a", 10, "train", 2.0),
        ])
        // Same (run, iteration, type) replaces; same iteration with the other type is a separate row.
        try store.save(trainingLoss: [Self.loss("run-a", 10, "train", 1.5)])
        let all = try store.trainingLoss()
        #expect(all.map { "\($0.runID)/\($0.iteration)/\($0.lossType)" } == [
            "run-a/10/train", "run-a/10/val", "run-a/20/train", "run-b/10/train",
        ])
        #expect(all[0].loss == 1.5)
        #expect(all[3] == full)
        #expect(try store.trainingLoss(runID: "run-b") == [full])
        #expect(try store.trainingLoss(runID: "nope").isEmpty)
    }

    @Test func judgeScoresKeepUnscoredRowsAndUpsertOnTheirKey() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ScoreStore(path: dir.path("scores.sqlite"))
        let unscored = Self.judge("run-a", "ckpt-100", "capability", "p1", "reasoning", nil)
        try store.save(judgeScores: [
            Self.judge("run-a", "ckpt-100", "content", "c1", "ccp_compliance", 7.5),
            unscored,
            Self.judge("run-a", "ckpt-100", "capability", "p1", "clarity", 6),
            Self.judge("run-b", "ckpt-100", "capability", "p1", "clarity", 3),
        ])
        #expect(try store.judgeScores(runID: "run-a").count == 3)
        #expect(try store.judgeScores(runID: "run-a").contains(unscored))
        // Rescoring the same probe × dimension replaces it instead of adding a row.
        try store.save(judgeScores: [Self.judge("run-a", "ckpt-100", "capability", "p1", "reasoning", 8.5)])
        let runA = try store.judgeScores(runID: "run-a")
        #expect(runA.map { "\($0.suite)/\($0.probeID)/\($0.dimension)" } == [
            "capability/p1/clarity", "capability/p1/reasoning", "content/c1/ccp_compliance",
        ])
        #expect(runA[1].score == 8.5)
        #expect(runA[0].category == "math")
        #expect(runA[2].category == nil)
        #expect(try store.judgeScores().count == 4)
    }

    @Test func newTablesPersistAcrossReopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("scores.sqlite")
        do {
            let store = try ScoreStore(path: path)
            try store.save(trainingLoss: [Self.loss("r", 1, "val", 3)])
            try store.save(judgeScores: [Self.judge("r", "l", "content", "c", "truthfulness", nil)])
        }
        let reopened = try ScoreStore(path: path)
        #expect(try reopened.trainingLoss() == [Self.loss("r", 1, "val", 3)])
        #expect(try reopened.judgeScores() == [Self.judge("r", "l", "content", "c", "truthfulness", nil)])
    }
}
