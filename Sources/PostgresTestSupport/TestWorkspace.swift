import Foundation
import Workspace

/// The two workspace engines, for tests that run on both.
package enum TestEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    package var description: String { rawValue }
}

/// A fresh, empty workspace for a test: a SQLite file in a temporary directory, or a new database on the shared
/// real PostgreSQL cluster (a missing PostgreSQL is a failure, never a skip).
package struct TestWorkspace: Sendable {
    package let location: String
    package let store: any WorkspaceStore
    private let directory: URL?

    package static func make(_ engine: TestEngine) async throws -> TestWorkspace {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
            let location = directory.appendingPathComponent("workspace.sqlite").path
            return TestWorkspace(location: location, store: try await Workspace.open(location), directory: directory)
        case .postgres:
            let location = try await PostgresCluster.shared().createDatabase()
            return TestWorkspace(location: location, store: try await Workspace.open(location), directory: nil)
        }
    }

    package func close() async {
        await store.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Runs `body` on a fresh workspace and closes it whatever happens.
    package static func with(_ engine: TestEngine, _ body: (TestWorkspace) async throws -> Void) async throws {
        let workspace = try await make(engine)
        do {
            try await body(workspace)
            await workspace.close()
        } catch {
            await workspace.close()
            throw error
        }
    }

    /// `count` prompts with ids `PREFIX0000`, … .
    package static func prompts(_ count: Int, prefix: String = "p") -> [PromptRecord] {
        (0..<count).map {
            PromptRecord(id: String(format: "\(prefix)%04d", $0), prompt: "Question \($0)?", source: "test:\($0)")
        }
    }

    /// A finished answer to `id` by `worker`.
    package static func answer(_ id: String, worker: String, text: String = "An answer.") -> AnswerRecord {
        AnswerRecord(promptID: id, response: text, model: "fake", modelSource: "test", settings: "{}",
                     workerID: worker, finishReason: "stop", startedAt: Date().timeIntervalSince1970,
                     durationSeconds: 0.01)
    }
}
