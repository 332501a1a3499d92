import DataPipeline
import Foundation
import Inference
import LlamaServer
import PostgresTestSupport
import Testing
import Workspace
import LocalModels

/// Workers with the real llama-server (the default model, one server for the file) on a real PostgreSQL
/// workspace. Missing components fail: run scripts/setup.
@Suite(.serialized) struct RealWorkerTests {
    static func model() async throws -> LlamaServerModel {
        let paths = MLPaths()
        guard FileManager.default.isExecutableFile(atPath: paths.llamaServer),
              FileManager.default.isReadableFile(atPath: paths.defaultModel)
        else {
            throw InferenceError(.backendNotAvailable, "llama-server or the default model missing under \(paths.home): run scripts/setup")
        }
        return try await LlamaServerModel(modelPath: paths.defaultModel, settings: LlamaServerSettings(parallelSlots: 2))
    }

    @Test func workersTakeOverADeadWorkersLeaseAndAnswerEveryPromptOnce() async throws {
        let model = try await Self.model()
        do {
            try await run(model)
            await model.close()
        } catch {
            await model.close()
            throw error
        }
    }

    func run(_ model: LlamaServerModel) async throws {
        try await TestWorkspace.with(.postgres) { workspace in
            let store = workspace.store
            try await store.insertPrompts((0..<6).map {
                PromptRecord(id: "q\($0)", prompt: "Name a colour. (\($0))", source: "test")
            })
            // A worker that claimed half the queue and died: its lease runs out after a second.
            let now = Date().timeIntervalSince1970
            try await store.register(worker: WorkerRecord(id: "dead", host: "gone", model: "x", startedAt: now, lastHeartbeat: now))
            let orphaned = try await store.claim(worker: "dead", limit: 3, lease: .seconds(1))
            #expect(orphaned.count == 3)
            let settings = ExpansionSettings(
                options: GenerateOptions(maxTokens: 4, temperature: 0.7), concurrency: 1, batch: 2,
                lease: .seconds(10), pollInterval: .milliseconds(200))
            let reports = try await withThrowingTaskGroup(of: ExpansionReport.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        try await QueueWorker(
                            store: store, model: model, modelName: "SmolLM2", modelSource: MLPaths().defaultModel,
                            workerID: "live\(index)", host: "test", settings: settings
                        ).run()
                    }
                }
                var all: [ExpansionReport] = []
                for try await report in group { all.append(report) }
                return all
            }
            #expect(reports.map(\.answered).reduce(0, +) == 6)
            let counts = try await store.query(
                "SELECT COUNT(*) AS answers, COUNT(DISTINCT prompt_id) AS prompts FROM answers")
            #expect(counts.rows == [[.integer(6), .integer(6)]])
            let byDead = try await store.query("SELECT COUNT(*) FROM answers WHERE worker_id = 'dead'")
            #expect(byDead.rows == [[.integer(0)]])
            let texts = try await store.query("SELECT response FROM answers WHERE response = ''")
            #expect(texts.rows.isEmpty)
        }
    }
}
