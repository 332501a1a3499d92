import DataPipeline
import Foundation
import Inference
import InferenceTesting
import PostgresTestSupport
import Testing
import Workspace

/// The worker loop against a fake (scripted) model, on both engines.
@Suite struct QueueWorkerTests {
    func worker(_ store: any WorkspaceStore, _ model: any TextModel, id: String, limit: Int? = nil,
                lease: Duration = .seconds(30)) -> QueueWorker {
        QueueWorker(
            store: store, model: model, modelName: "scripted", modelSource: "fake", workerID: id, host: "test",
            settings: ExpansionSettings(
                options: GenerateOptions(maxTokens: 8, temperature: 0), concurrency: 3, batch: 4, lease: lease,
                limit: limit, pollInterval: .milliseconds(50)))
    }

    @Test(arguments: TestEngine.allCases)
    func workersShareTheQueueAndAnswerEachPromptOnce(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let store = workspace.store
            try await store.insertPrompts(TestWorkspace.prompts(30))
            let model = ScriptedModel(delay: .milliseconds(2), capacity: 8) { ["answer to ", $0.text] }
            let reports = try await withThrowingTaskGroup(of: ExpansionReport.self) { group in
                for index in 0..<3 { group.addTask { try await worker(store, model, id: "w\(index)").run() } }
                var all: [ExpansionReport] = []
                for try await report in group { all.append(report) }
                return all
            }
            #expect(reports.map(\.answered).reduce(0, +) == 30)
            #expect(reports.map(\.duplicates).reduce(0, +) == 0)
            let status = try await store.status()
            #expect(status.answered == 30 && status.pending == 0)
            #expect(status.workers.map(\.id).sorted() == ["w0", "w1", "w2"])
            #expect(status.workers.allSatisfy { $0.stoppedAt != nil })
            let rows = try await store.query("SELECT prompt_id, response, worker_id, settings FROM answers WHERE prompt_id = 'p0007'")
            #expect(rows.rows.first?[1] == .text("answer to Question 7?"))
            let settings = try JSONSerialization.jsonObject(with: Data((rows.rows.first?[3].string ?? "").utf8)) as? [String: Any]
            #expect(settings?["max_tokens"] as? Int == 8)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func limitStopsEarlyAndReleasesTheRest(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(10))
            let report = try await worker(workspace.store, ScriptedModel(), id: "w", limit: 5).run()
            #expect(report.answered == 5)
            let status = try await workspace.store.status()
            #expect(status.answered == 5 && status.pending == 5 && status.leased == 0)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func failuresAreRecordedAndTheRunGoesOn(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            let model = ScriptedModel(failAfter: 1)
            let report = try await worker(workspace.store, model, id: "w", limit: 3).run()
            #expect(report.failed == 3 && report.answered == 0)
            let status = try await workspace.store.status()
            #expect(status.failed == 3 && status.pending == 3 && status.leased == 0)
            let errors = try await workspace.store.query("SELECT last_error FROM prompts WHERE last_error IS NOT NULL")
            #expect(errors.rows.count == 3)
            #expect(errors.rows.first?.first?.string?.contains("scripted failure") == true)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func promptsThatKeepFailingAreGivenUpAndTheWorkerFinishes(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            var settings = worker(workspace.store, ScriptedModel(), id: "w").settings
            settings.maxAttempts = 2
            let failing = QueueWorker(
                store: workspace.store, model: ScriptedModel(failAfter: 0), modelName: "scripted", modelSource: "fake",
                workerID: "w", host: "test", settings: settings)
            let report = try await failing.run()
            #expect(report.failed == 3 && report.answered == 0, "prompts are counted, not attempts")
            #expect(try await workspace.store.remaining(maxAttempts: 2) == 0)
            #expect(try await workspace.store.status().failed == 3)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func aCancelledWorkerGivesItsPromptsBack(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let store = workspace.store
            try await store.insertPrompts(TestWorkspace.prompts(8))
            let slow = ScriptedModel(delay: .seconds(5), capacity: 8)
            let task = Task { try await worker(store, slow, id: "slow").run() }
            while try await store.status().leased == 0 { try await Task.sleep(for: .milliseconds(20)) }
            task.cancel()
            _ = try? await task.value
            let status = try await store.status()
            #expect(status.leased == 0 && status.answered == 0)
            let report = try await worker(store, ScriptedModel(), id: "fast").run()
            #expect(report.answered == 8)
        }
    }
}
