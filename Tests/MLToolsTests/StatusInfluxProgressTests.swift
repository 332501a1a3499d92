import Foundation
import InfluxTestSupport
import JSONValues
import Recording
import Testing

@testable import MLTools

/// Training and generation progress in the status snapshot: the reference's measurements, read back from a real
/// influxd, and what the snapshot says when InfluxDB is missing or down.
@Suite struct StatusInfluxProgressTests {
    /// Lines as the reference's trainer (`training_loss`, with `lr`), its training-status writer, its golden
    /// generator (`golden_gen_progress`) and its expansion (`expansion_progress`) write them; older points first.
    static let referenceLines = [
        "training_status,model=gemma-3-1b,run_id=r1 status=\"running\",iteration=100i,total_iters=1000i,pct=10.0 1000000000",
        "training_status,model=gemma-3-1b,run_id=r1 status=\"running\",iteration=400i,total_iters=1000i,pct=40.0 2000000000",
        "training_status,model=gemma-3-12b,run_id=r2 status=\"done\",iteration=340i,total_iters=340i,pct=100.0 1500000000",
        "training_loss,model=gemma-3-1b,run_id=r1,phase=P0,loss_type=train loss=1.9,perplexity=6.6,tokens_total=1000i,tokens_per_sec=500.0,peak_memory_gb=3.1,iteration=100i,lr=0.00002 1000000000",
        "training_loss,model=gemma-3-1b,run_id=r1,phase=P0,loss_type=train loss=1.434,perplexity=4.2,tokens_total=4000i,tokens_per_sec=512.3,peak_memory_gb=3.2,iteration=400i,lr=0.000015 2000000000",
        "training_loss,model=gemma-3-1b,run_id=r1,phase=P0,loss_type=val loss=0.5,iteration=400i 2500000000",
        "training_loss,model=smollm,run_id=r3,loss_type=train loss=2.5,iteration=20i,learning_rate=0.0001 1800000000",
        "golden_gen_progress,worker=m3-gpu0 completed=100i,target=15000i,pct=0.7 1000000000",
        "golden_gen_progress,worker=m3-gpu0 completed=15000i,target=15000i,pct=100.0 2000000000",
        "expansion_progress,worker=w2 completed=5i,target=46331i,pct=0.0 2000000000",
    ]

    @Test func theReferencesPointsAreReadBackFromARealInfluxDB() async throws {
        try await InfluxDBProcess.with { server in
            try await server.withClient { try await $0.write(lines: Self.referenceLines) }
            let snapshot = await StatusSnapshot.read(store: nil, workspace: nil, influx: server.configuration())
            #expect(snapshot.notes.isEmpty, "\(snapshot.notes)")
            #expect(snapshot.sourcesRead == ["influx"])
            let influx = try #require(snapshot.influx)
            #expect(influx.reachable)
            #expect(influx.training == [
                StatusTrainingProgress(model: "gemma-3-12b", runID: "r2", status: "done", iteration: 340, totalIterations: 340,
                                       percent: 100),
                StatusTrainingProgress(model: "gemma-3-1b", runID: "r1", status: "running", iteration: 400, totalIterations: 1000,
                                       percent: 40, loss: 1.434, learningRate: 0.000015),
                StatusTrainingProgress(model: "smollm", runID: "r3", iteration: 20, loss: 2.5, learningRate: 0.0001),
            ])
            #expect(influx.generation == [
                StatusGenerationProgress(kind: .golden, worker: "m3-gpu0", completed: 15000, target: 15000, percent: 100),
                StatusGenerationProgress(kind: .expansion, worker: "w2", completed: 5, target: 46331, percent: 0),
            ])
            let text = snapshot.text()
            #expect(text.contains("Training:\n  gemma-3-12b   done        340/340  100.0%\n"), "\(text)")
            #expect(text.contains("  gemma-3-1b    running    400/1000   40.0%  loss=1.434  lr=1.50e-05\n"), "\(text)")
            #expect(text.contains("Generation:\n  golden        15000/15000  100.0%  (m3-gpu0)\n"), "\(text)")
            guard case .object(let json) = snapshot.json(), case .array(let training)? = json["training"],
                  case .array(let generation)? = json["generation"] else {
                Issue.record("no training or generation in \(snapshot.json())")
                return
            }
            #expect(training.count == 3 && generation.count == 2)
            #expect(training[1] == .object([
                "model": .string("gemma-3-1b"), "run_id": .string("r1"), "status": .string("running"), "iteration": .number(400),
                "total_iters": .number(1000), "pct": .number(40), "loss": .number(1.434), "learning_rate": .number(0.000015),
            ]))
            #expect(json["influx"] == .object(["reachable": .bool(true)]))
            // The keys the snapshot had before InfluxDB joined it are still there.
            for key in ["workspace", "latest_checkpoints", "evaluated_checkpoints", "notes"] { #expect(json[key] != nil, "\(key)") }

            // ml_status on a server configured with this InfluxDB returns the same snapshot.
            let environment = ToolEnvironment(roots: try FileRoots([FileManager.default.temporaryDirectory.path]),
                                              influx: server.configuration())
            let output = try await MLTool.status(environment).run(ToolArguments([:]), ToolProgress { _, _, _ in })
            #expect(output.structured == snapshot.json())
            #expect(output.text == text)
        }
    }

    @Test func anEmptyDatabaseSaysNoData() async throws {
        try await InfluxDBProcess.with { server in
            let snapshot = await StatusSnapshot.read(store: nil, workspace: nil, influx: server.configuration())
            #expect(snapshot.notes.isEmpty, "\(snapshot.notes)")
            #expect(snapshot.text().hasPrefix("Training:\n  (no data)\n\nGeneration:\n  (no data)\n"))
        }
    }

    @Test func influxDBDownOrMissingIsANoteNotAFailure() async {
        let down = await StatusSnapshot.read(
            store: nil, workspace: nil,
            influx: InfluxConfiguration(url: "http://user:secret@127.0.0.1:1", database: "training", timeout: .seconds(2)))
        #expect(down.influx?.reachable == false && down.sourcesRead.isEmpty)
        #expect(down.notes == ["InfluxDB at http://127.0.0.1:1 did not answer: no training or generation progress"])
        let none = await StatusSnapshot.read(store: nil, workspace: nil)
        #expect(none.influx == nil && none.notes.first?.hasPrefix("no InfluxDB configured") == true)
        guard case .object(let json) = none.json() else { return }
        #expect(json["influx"] == .null && json["training"] == .array([]))
    }

    @Test func theNewestPointPerModelAndWorkerWins() {
        let status: [[String: InfluxValue]] = [
            ["model": .string("a"), "status": .string("done"), "iteration": .double(9), "total_iters": .integer(9), "pct": .integer(100)],
            ["model": .string("a"), "status": .string("running"), "iteration": .integer(1)],
            ["model": .string(""), "status": .string("nameless")],
        ]
        let loss: [[String: InfluxValue]] = [
            ["model": .string("a"), "loss": .double(0.5), "lr": .double(1e-5)],
            ["model": .string("a"), "loss": .double(0.9)],
        ]
        #expect(StatusInfluxProgress.training(status: status, loss: loss) == [
            StatusTrainingProgress(model: "a", status: "done", iteration: 9, totalIterations: 9, percent: 100, loss: 0.5,
                                   learningRate: 1e-5),
        ])
        let rows: [[String: InfluxValue]] = [
            ["worker": .string("b"), "completed": .double(3), "target": .integer(10), "pct": .double(30)],
            ["worker": .string("a"), "completed": .integer(1), "target": .integer(10), "pct": .double(10)],
            ["worker": .string("b"), "completed": .integer(2), "target": .integer(10), "pct": .double(20)],
        ]
        #expect(StatusInfluxProgress.generation(rows, kind: .expansion).map(\.completed) == [1, 3])
    }
}
