import DataPipeline
import Foundation
import InferenceTesting
import InfluxTestSupport
import PostgresTestSupport
import Recording
import Synchronization
import Testing
import Workspace

/// Expansion progress as InfluxDB points, on a real influxd.
@Suite struct ProgressPointsTests {
    @Test func anExpansionWritesProgressPointsThatEndWithTheFinalCounts() async throws {
        try await InfluxDBProcess.with { server in
            try await TestWorkspace.with(.sqlite) { workspace in
                try await workspace.store.insertPrompts(TestWorkspace.prompts(12))
                let points = ExpansionProgressPoints(
                    configuration: server.configuration(), workerID: "w1", model: "scripted",
                    interval: .milliseconds(50)) { Issue.record("unexpected warning: \($0)") }
                let worker = QueueWorker(
                    store: workspace.store, model: ScriptedModel(delay: .milliseconds(5)), modelName: "scripted",
                    modelSource: "fake", workerID: "w1", host: "test",
                    settings: ExpansionSettings(concurrency: 2, pollInterval: .milliseconds(20))
                ) { points.record($0) }
                let writer = Task { await points.run() }
                let report = try await worker.run()
                writer.cancel()
                await writer.value
                #expect(report.answered == 12)
                let series = try await server.withClient {
                    try await $0.query(#"SELECT "answered", "failed" FROM "data_expand" WHERE "worker" = 'w1'"#)
                }
                let rows = series.first?.values ?? []
                #expect(rows.count >= 1)
                #expect(rows.last?[1] == .integer(12), "the last point holds the final count: \(rows)")
                #expect(rows.last?[2] == .integer(0))
            }
        }
    }

    @Test func anUnreachableInfluxDBWarnsOnceAndNeverStopsTheRun() async throws {
        let warnings = LockedStrings()
        let points = ExpansionProgressPoints(
            configuration: InfluxConfiguration(url: "http://127.0.0.1:1", database: "x", timeout: .seconds(2)),
            workerID: "w", model: "m", interval: .milliseconds(20)) { warnings.append($0) }
        points.record(ExpansionProgress(answered: 1, failed: 0, duplicates: 0, promptID: "p", error: nil))
        let writer = Task { await points.run() }
        try await Task.sleep(for: .milliseconds(300))
        points.record(ExpansionProgress(answered: 2, failed: 0, duplicates: 0, promptID: "q", error: nil))
        writer.cancel()
        await writer.value
        #expect(warnings.values.count == 1)
        #expect(warnings.values.first?.contains("InfluxDB") == true)
    }
}

final class LockedStrings: Sendable {
    private let state = Synchronization.Mutex([String]())
    func append(_ value: String) { state.withLock { $0.append(value) } }
    var values: [String] { state.withLock { $0 } }
}
