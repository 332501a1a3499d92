@testable import Agent
import Evaluation
import Foundation
import Logging
import Recording
import Synchronization
import Testing
import Transport

/// The agent's loop over a real local directory and a real SQLite store, with a fake evaluator.
@Suite struct CheckpointAgentTests {
    /// A temporary adapter base with one run directory holding checkpoints 100 and 200 and the final adapter.
    struct Fixture {
        let root: URL
        var base: String { root.appendingPathComponent("adapters").path }
        var db: String { root.appendingPathComponent("scores.sqlite").path }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("agent-tests-\(UUID().uuidString)")
            let run = root.appendingPathComponent("adapters/smollm2-135m-lek")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            for name in ["0000100_adapters.safetensors", "0000200_adapters.safetensors", "adapters.safetensors"] {
                try Data("weights".utf8).write(to: run.appendingPathComponent(name))
            }
            try Data("{}".utf8).write(to: run.appendingPathComponent("adapter_config.json"))
        }

        func agent(_ evaluator: FakeEvaluator, store: ScoreStore, influx: InfluxRecorder? = nil,
                   force: Bool = false) throws -> CheckpointAgent {
            CheckpointAgent(
                transport: LocalTransport(),
                settings: .init(adapterBase: base, families: try ModelFamilyMap.default(), force: force),
                evaluator: evaluator, recorder: CheckpointRecorder(store: store, influx: influx, logger: Self.quiet),
                logger: Self.quiet)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        static var quiet: Logger {
            var logger = Logger(label: "agent-tests")
            logger.logLevel = .critical
            return logger
        }
    }

    @Test func evaluatesNewCheckpointsOnceAndRecordsThem() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let evaluator = FakeEvaluator()
        let agent = try fixture.agent(evaluator, store: store)

        let first = try await agent.runOnce()
        #expect(first.discovered == 2)
        #expect(first.evaluated.map(\.label) == ["S135-lek @0000100", "S135-lek @0000200"])
        #expect(first.failed.isEmpty && first.skipped == 0)

        let runID = "smollm2-135m-lek-capability-auto"
        let row = try #require(try store.checkpoint(runID: runID, label: "S135-lek @0000200"))
        #expect(row.model == "smollm2-135m" && row.iteration == 200)
        #expect(row.correct == 2 && row.total == 3)
        #expect(abs(row.accuracy - 200.0 / 3) < 1e-9)
        // The judge's averages come from the two scored answers; the garbage reply is an unscored item, not a zero.
        #expect(row.judgeReasoning == 6 && row.judgeCorrectness == 8 && row.judgeClarity == 7 && row.judgeAvg == 7)
        let items = try store.itemScores(runID: runID, label: "S135-lek @0000200")
        #expect(items.filter { $0.value == nil }.allSatisfy { $0.error == "no JSON object in the reply" })
        #expect(items.filter { $0.value == nil }.count == 3)
        #expect(try store.probeResults(runID: runID, label: "S135-lek @0000100").count == 3)

        let second = try await agent.runOnce()
        #expect(second.evaluated.isEmpty && second.skipped == 2)
        #expect(evaluator.evaluated.count == 2)

        // A restarted agent (a new instance on the same store) evaluates nothing either; --force evaluates all.
        let restarted = try fixture.agent(FakeEvaluator(), store: try ScoreStore(path: fixture.db))
        #expect(try await restarted.plan().pending.isEmpty)
        let forced = try fixture.agent(FakeEvaluator(), store: store, force: true)
        #expect(try await forced.runOnce().evaluated.count == 2)
    }

    /// `ml agent --samples K`: the store's probe rows and the reference's points describe the first answer, as
    /// without samples; each row also holds how many of the K answers passed.
    @Test func samplesAreTalliedBesideTheFirstAnswer() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let agent = try fixture.agent(FakeEvaluator(samples: 4), store: store)
        #expect(try await agent.runOnce().evaluated.count == 2)
        let runID = "smollm2-135m-lek-capability-auto"
        let rows = try store.probeResults(runID: runID, label: "S135-lek @0000100").sorted { $0.result.id < $1.result.id }
        let checkpoint = Checkpoint(directory: "", dirname: "", adapterFile: "", configFile: "", iteration: 100,
                                    family: try ModelFamilyMap.default().families[0], label: "S135-lek @0000100", runID: runID)
        let firstSample = try await FakeEvaluator().evaluate(checkpoint, via: LocalTransport()) { _ in }
        let expected = firstSample.probes.results.sorted { $0.id < $1.id }
        #expect(rows.map(\.result) == expected, "the rows hold the first answers, not a later sample's")
        #expect(rows.map(\.samplesPassed) == expected.map { $0.passed ? 1 : 0 })
        #expect(rows.allSatisfy { $0.samples == 4 })
        let row = try #require(try store.checkpoint(runID: runID, label: "S135-lek @0000100"))
        #expect(row.correct == 2 && row.total == 3)
        // The reference's InfluxDB points are those of the first sample.
        var withSamples = firstSample
        withSamples.samples = ProbeSamples(reports: [firstSample.probes, firstSample.probes])
        #expect(try CheckpointRecorder.records(withSamples, of: checkpoint).points()
                == CheckpointRecorder.records(firstSample, of: checkpoint).points())
    }

    /// A new agent process (every run of `--one-shot` from cron) orders its first checkpoint's probes by the answers
    /// of the run's latest recorded checkpoint, not another run's and not an older one's.
    @Test func theFirstCheckpointIsOrderedByTheRunsLatestRecordedAnswers() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let runID = "smollm2-135m-lek-capability-auto"
        let probes = ProbeSet.builtIn.probes.prefix(3)
        func record(run: String, label: String, iteration: Int, answers: [String]) throws {
            let results = zip(probes, answers).map { ProbeResult(id: $0.id, category: $0.category, passed: true, response: $1) }
            try store.save(CheckpointScore(runID: run, label: label, model: "m", iteration: iteration, accuracy: 100,
                                           correct: 3, total: 3, scoredAt: Date()),
                           probes: results.map { ProbeResultRecord(runID: run, label: label, result: $0) })
        }
        try record(run: runID, label: "S135-lek @0000050", iteration: 50, answers: ["a", "bbbbbb", "ccc"])
        try record(run: runID, label: "S135-lek @0000010", iteration: 10, answers: ["aaaaaaaaaa", "b", "c"])
        try record(run: "another-run", label: "X @0000900", iteration: 900, answers: ["x", "y", "zzzzzzzzzzzz"])
        let evaluator = FakeEvaluator()
        _ = try await fixture.agent(evaluator, store: store).runOnce()
        let expected = Dictionary(uniqueKeysWithValues: zip(probes.map(\.id), [1, 6, 3]))
        #expect(evaluator.lengthsAtStart["S135-lek @0000100"] == expected)

        // Nothing recorded for the run: nothing to order by.
        let fresh = FakeEvaluator()
        let other = try Fixture()
        defer { other.remove() }
        _ = try await other.agent(fresh, store: try ScoreStore(path: other.db)).runOnce()
        #expect(fresh.lengthsAtStart["S135-lek @0000100"] == [:])
    }

    @Test func aFailedCheckpointIsReportedAndRetriedWhileTheOthersAreRecorded() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let agent = try fixture.agent(FakeEvaluator(failing: ["S135-lek @0000100"]), store: store)

        let report = try await agent.runOnce()
        #expect(report.evaluated.map(\.label) == ["S135-lek @0000200"])
        #expect(report.failed.map(\.checkpoint.label) == ["S135-lek @0000100"])
        #expect(report.failed.first?.error.contains("llama-server did not start") == true)

        let healed = FakeEvaluator()
        let retry = try fixture.agent(healed, store: store)
        let second = try await retry.runOnce()
        #expect(healed.evaluated == ["S135-lek @0000100"])
        #expect(second.evaluated.count == 1 && second.skipped == 1)
    }

    @Test func stopFinishesAndRecordsTheCurrentCheckpointThenEnds() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        let box = AgentBox()
        let evaluator = FakeEvaluator(during: { _ in box.agent?.stop() })
        let agent = try fixture.agent(evaluator, store: store)
        box.agent = agent

        let report = try await agent.runOnce()
        #expect(report.stopped)
        #expect(report.evaluated.map(\.label) == ["S135-lek @0000100"])
        #expect(try store.scoredKeys().map(\.label) == ["S135-lek @0000100"])
        #expect(evaluator.evaluated.count == 1)
        // run() returns at once once stopped, without sleeping a poll interval.
        #expect(try await agent.run() == 0)
    }

    @Test func influxDownBuffersEveryPointAndTheStoreStillHasTheResults() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try ScoreStore(path: fixture.db)
        // A port nothing listens on: every write fails at once.
        let client = InfluxClient(configuration: InfluxConfiguration(url: "http://127.0.0.1:9", database: "training",
                                                                     timeout: .seconds(2)))
        let buffer = PointBuffer(path: fixture.root.appendingPathComponent("buffer.jsonl").path)
        let agent = try fixture.agent(FakeEvaluator(), store: store, influx: InfluxRecorder(client: client, buffer: buffer, logger: Fixture.quiet))

        let report = try await agent.runOnce()
        await client.shutdown()
        #expect(report.evaluated.count == 2 && report.failed.isEmpty)
        #expect(try store.scoredKeys().count == 2)
        let lines = try await buffer.pending().flatMap(\.lines)
        // Per checkpoint: 3 probe points as they completed, then the whole record (categories, overall, 3 probes,
        // one judge point per scored answer — the third reply was unusable).
        #expect(lines.filter { $0.hasPrefix("probe_score,") }.count == 12)
        #expect(lines.filter { $0.hasPrefix("capability_score,") && $0.contains("category=overall") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("capability_judge,") }.count == 4)
        #expect(lines.allSatisfy { $0.contains("run_id=smollm2-135m-lek-capability-auto") })
    }
}

/// Lets the fake evaluator reach the agent under test.
final class AgentBox: Sendable {
    private let value = Mutex<CheckpointAgent?>(nil)
    var agent: CheckpointAgent? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
