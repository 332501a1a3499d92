import Foundation
import Recording
import Testing

@testable import MLTools

@Suite struct StatusSnapshotTests {
    @Test func latestCheckpointPerRunAndNotesForMissingSources() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("scores.sqlite").path
        let store = try ScoreStore(path: path)
        for (run, iteration, correct) in [("r1", 100, 3), ("r1", 200, 9), ("r2", 50, 5)] {
            try store.save(CheckpointScore(runID: run, label: "\(run)@\(iteration)", model: "m", iteration: iteration,
                                           accuracy: Double(correct) / 23 * 100, correct: correct, total: 23))
        }
        let snapshot = await StatusSnapshot.read(store: path, workspace: directory.appendingPathComponent("none.sqlite").path)
        #expect(snapshot.evaluatedCheckpoints == 3)
        #expect(snapshot.latestCheckpoints.map(\.label) == ["r1@200", "r2@50"])
        #expect(snapshot.workspace == nil && snapshot.notes.count == 2 && snapshot.notes[1].hasPrefix("no workspace at"))
        #expect(snapshot.notes[0].hasPrefix("no InfluxDB configured"))
        #expect(snapshot.sourcesRead == ["store"])
        #expect(snapshot.text().contains("r1: latest r1@200 (iteration 200) 39.1% (9/23)"))
        guard case .object(let json) = snapshot.json(), case .array(let latest)? = json["latest_checkpoints"] else {
            Issue.record("no latest_checkpoints")
            return
        }
        #expect(latest.count == 2)
        let missing = await StatusSnapshot.read(store: directory.appendingPathComponent("absent.sqlite").path, workspace: nil)
        #expect(missing.latestCheckpoints.isEmpty && missing.notes.last?.hasPrefix("no score store at") == true)
        #expect(missing.sourcesRead.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("absent.sqlite").path), "status created the store")
    }
}
