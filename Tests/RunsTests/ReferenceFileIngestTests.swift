import Foundation
import Recording
import Runs
import Synchronization
import Testing

/// Reference files into the store (no InfluxDB): what goes in, what is skipped and how it is reported.
@Suite struct ReferenceFileIngestTests {
    struct Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
            return path(name)
        }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func goodLinesGoInAndBadOnesAreNamedAndSkipped() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let file = try fixture.write("capability.jsonl", """
            {"label": "G12 @0000100", "accuracy": 50, "correct": 1, "total": 2, "by_category": {"math": {"correct": 1, "total": 2}}}
            {oops

            """)
        let ingest = ReferenceFileIngest(model: "m", runID: "r", store: try ScoreStore(path: fixture.path("scores.db")))
        let problems = Mutex<[String]>([])
        let summary = try await ingest.ingest(.capability, path: file) { problem in problems.withLock { $0.append("\(problem)") } }
        #expect(problems.withLock { $0 } == ["\(file):2: skipped: not valid JSON"])
        #expect(summary.points == 2 && summary.storeRows == 1 && summary.skippedLines == 1 && !summary.buffered)
        #expect(summary.failed)
        #expect(try ingest.store.scoredKeys().count == 1)
    }

    @Test func aTrainingLogGivesLossesAndAFileThatCannotBeReadIsAnError() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.write("train.log", "Iter 10: Train loss 2.500, Learning Rate 1.000e-05, It/sec 1.0, Tokens/sec 100.0\n")
        let ingest = ReferenceFileIngest(model: "m", runID: "r", store: try ScoreStore(path: fixture.path("scores.db")))
        let summary = try await ingest.ingest(.trainingLog, path: log) { _ in }
        #expect(summary.points == 1 && summary.storeRows == 1 && !summary.failed)
        let missing = fixture.path("absent.jsonl")
        let error = await #expect(throws: RunsError.self) { _ = try await ingest.ingest(.content, path: missing) { _ in } }
        #expect(error?.description.hasPrefix("cannot read the content file: ") == true, "\(String(describing: error))")
    }

    @Test func problemsReadAsIngestPrintsThem() {
        #expect("\(ReferenceFileIngest.Problem.buffered(path: "f", error: "down"))"
                == "f: InfluxDB write failed, points buffered for the agent to replay: down")
        #expect("\(ReferenceFileIngest.Problem.rejected(path: "f", batches: 2, file: "x.rejected", error: "400"))"
                == "f: InfluxDB refused 2 batch(es), set aside in x.rejected: 400")
    }
}
