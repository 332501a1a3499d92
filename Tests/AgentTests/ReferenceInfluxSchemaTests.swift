import Agent
import Foundation
import InfluxTestSupport
import Logging
import Recording
import Testing

/// What the agent writes to a real influxd 1.x matches shared/spec/recording.md: tag keys, field keys and field
/// types per measurement, the timestamp formula, and no field-type conflict with a reference database.
@Suite struct ReferenceInfluxSchemaTests {
    /// The spec's tag keys and field types per measurement.
    static let tagKeys: [String: Set<String>] = [
        "capability_score": ["model", "run_id", "label", "category"],
        "probe_score": ["model", "run_id", "label", "probe_id"],
        "capability_judge": ["model", "run_id", "label", "probe_id", "category"],
        "content_score": ["model", "run_id", "label", "dimension", "has_kernel"],
        "training_loss": ["model", "run_id", "loss_type"],
    ]
    static let fieldTypes: [String: [String: String]] = [
        "capability_score": ["accuracy": "float", "correct": "integer", "total": "integer", "iteration": "integer"],
        "probe_score": ["passed": "integer", "iteration": "integer"],
        "capability_judge": [
            "reasoning": "float", "correctness": "float", "clarity": "float", "avg": "float", "iteration": "integer",
        ],
        "content_score": ["score": "float", "iteration": "integer"],
        "training_loss": [
            "loss": "float", "iteration": "integer", "learning_rate": "float", "it_per_sec": "float",
            "tokens_per_sec": "float",
        ],
    ]
    /// One point per measurement exactly as the reference writes them (its users' existing databases).
    static let referencePoints = [
        "capability_score,model=gemma-3-12b,run_id=12b-capability-auto,label=G12\\ @0000100,category=overall accuracy=26.1,correct=6i,total=23i,iteration=100i 1739677600000000000",
        "probe_score,model=gemma-3-12b,run_id=12b-capability-auto,label=G12\\ @0000100,probe_id=arith passed=1i,iteration=100i 1739677701000000000",
        "capability_judge,model=gemma-3-12b,run_id=12b-capability-auto,label=G12\\ @0000100,probe_id=arith,category=math reasoning=7.5,correctness=8,clarity=6.25,avg=7.25,iteration=100i 1739677600000000000",
        "content_score,model=gemma-3-12b,run_id=12b-content-auto,label=G12\\ @0000100,dimension=ccp_compliance,has_kernel=true score=7,iteration=100i 1739677600000000000",
        "training_loss,model=gemma-3-12b,run_id=12b,loss_type=train loss=1.25,iteration=100i,learning_rate=0.00001,it_per_sec=0.5,tokens_per_sec=210.5 1739677600000000000",
    ]

    static func keys(_ client: InfluxClient, _ query: String) async throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for series in try await client.query(query) {
            for row in series.rows {
                if let key = (row["fieldKey"] ?? row["tagKey"])?.stringValue {
                    result[series.name, default: [:]][key] = row["fieldType"]?.stringValue ?? ""
                }
            }
        }
        return result
    }

    static func seconds(_ iteration: Int64, _ offset: Int64) -> Int64 {
        (1_739_577_600 + iteration * 1000 + offset) * 1_000_000_000
    }

    @Test func agentPointsHaveTheSpecsKeysTypesAndTimesAndFitAReferenceDatabase() async throws {
        let fixture = try CheckpointAgentTests.Fixture()
        defer { fixture.remove() }
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                try await client.writeBatch(Self.referencePoints)
                let buffer = PointBuffer(path: fixture.root.appendingPathComponent("buffer.jsonl").path)
                let recorder = InfluxRecorder(client: client, buffer: buffer, logger: CheckpointAgentTests.Fixture.quiet)
                let store = try ScoreStore(path: fixture.db)
                let agent = try fixture.agent(FakeEvaluator(content: true), store: store, influx: recorder)
                #expect(try await agent.runOnce().evaluated.count == 2)
                // Every point was accepted: nothing waits in the buffer (a field-type conflict would leave it there).
                #expect(try await buffer.pending().isEmpty)

                // Training losses, followed from a log, share the database.
                let log = fixture.root.appendingPathComponent("train.log").path
                try Data("Iter 10: Train loss 2.5, Learning Rate 1e-05, It/sec 0.5, Tokens/sec 200.0\nIter 10: Val loss 2.4\n".utf8)
                    .write(to: URL(fileURLWithPath: log))
                let follower = TrainingLogFollower(path: log, runID: "smollm2-135m-lek", model: "smollm2-135m",
                                                   store: store, influx: recorder, logger: CheckpointAgentTests.Fixture.quiet)
                #expect(await follower.readNew().recorded == 2)

                let fields = try await Self.keys(client, "SHOW FIELD KEYS")
                let tags = try await Self.keys(client, "SHOW TAG KEYS")
                for (measurement, types) in Self.fieldTypes {
                    #expect(fields[measurement] == types, "field keys of \(measurement)")
                    #expect(Set(tags[measurement].map { Array($0.keys) } ?? []) == Self.tagKeys[measurement], "tag keys of \(measurement)")
                }

                let runID = "smollm2-135m-lek-capability-auto"
                func times(_ query: String) async throws -> [Int64] {
                    try await client.query(query).flatMap(\.rows).compactMap { $0["time"]?.intValue }
                }
                let label = "label = 'S135-lek @0000100'"
                #expect(try await times("SELECT passed FROM probe_score WHERE run_id = '\(runID)' AND \(label)")
                        == [101, 102, 103].map { Self.seconds(100, $0) })
                #expect(try await times("SELECT accuracy FROM capability_score WHERE run_id = '\(runID)' AND \(label)")
                        .first == Self.seconds(100, 0))
                // One capability_judge point per judged probe (the third reply was unusable: no point).
                let judged = try await client.query(
                    "SELECT avg, probe_id, category FROM capability_judge WHERE run_id = '\(runID)' AND \(label)"
                ).flatMap(\.rows)
                #expect(judged.map { $0["time"]?.intValue } == [Self.seconds(100, 0), Self.seconds(100, 1)])
                #expect(judged.allSatisfy { $0["avg"]?.doubleValue == 7 && $0["category"]?.stringValue != nil })
                // One content_score point per probe × dimension, under the content run id, has_kernel=true.
                let content = try await client.query(
                    "SELECT score, dimension, has_kernel FROM content_score WHERE run_id = 'smollm2-135m-lek-content-auto' AND \(label)"
                ).flatMap(\.rows)
                #expect(content.map { $0["time"]?.intValue } == (0..<6).map { Self.seconds(100, Int64($0)) })
                #expect(content.map { $0["dimension"]?.stringValue } == CheckpointRecords.contentDimensions)
                #expect(content.map { $0["score"]?.doubleValue } == [4, 5, 6, 7, 8, 9])
                #expect(content.allSatisfy { $0["has_kernel"] == .string("true") })
                #expect(try await times("SELECT loss FROM training_loss WHERE run_id = 'smollm2-135m-lek'")
                        == [Self.seconds(10, 0), Self.seconds(10, 1)])

                // The store keeps every judge score per probe × dimension, unusable ones as unscored rows.
                let scores = try store.judgeScores(runID: runID).filter { $0.label == "S135-lek @0000100" }
                let capabilityRows = 3 * 3, contentRows = 2 * 6
                #expect(scores.count == capabilityRows + contentRows)
                #expect(scores.filter { $0.score == nil }.count == 3 + 6)
                #expect(try store.trainingLoss(runID: "smollm2-135m-lek").map(\.lossType) == ["train", "val"])
            }
        }
    }

    @Test func followerReadsOnlyCompleteLinesNamesBadOnesAndRestartsOnTruncation() async throws {
        let fixture = try CheckpointAgentTests.Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let log = fixture.root.appendingPathComponent("run-7.log").path
        #expect(TrainingLogFollower.defaultRunID(path: log) == "run-7")
        let follower = TrainingLogFollower(path: log, runID: "run-7", model: "m", store: store, influx: nil,
                                           logger: CheckpointAgentTests.Fixture.quiet)
        #expect(await follower.readNew() == .init(), "a missing log is not an error: it may not exist yet")
        try Data("Loading\n    10    1.283 ▼        8      0.4k\n    20    val 0.9".utf8).write(to: URL(fileURLWithPath: log))
        #expect(await follower.readNew() == .init(recorded: 1, badLines: []))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("27    6.98s\n    30    val x\n\u{1B}[32m    30    1.1 ▼ 9 0.5k\u{1B}[0m\n".utf8))
        try handle.close()
        #expect(await follower.readNew() == .init(recorded: 2, badLines: [4]))
        #expect(try store.trainingLoss(runID: "run-7").map { "\($0.iteration)/\($0.lossType)/\($0.loss)" }
                == ["10/train/1.283", "20/val/0.927", "30/train/1.1"])
        // A new run overwrote the log: it is read from the start again.
        try Data("    5    3.0 ▼ 1 0.1k\n".utf8).write(to: URL(fileURLWithPath: log))
        #expect(await follower.readNew().recorded == 1)
        #expect(try store.trainingLoss(runID: "run-7").first?.iteration == 5)
    }
}
