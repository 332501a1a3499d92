import Foundation
import Inference
import Locking

/// The work directories of the evaluations in progress, so that a forced exit (a second SIGTERM/SIGINT, which
/// cannot wait for the evaluation's own clean-up) still removes them: ``removeAll()``.
package final class WorkDirectories: Sendable {
    private let paths = Locked<Set<String>>([])

    package init() {}

    /// Runs `body` in a fresh directory for `checkpoint` under `parent` (`<kind>-<run id>-<iteration>-<random>`),
    /// registered while it runs and removed afterwards on every path.
    func withDirectory<T>(for checkpoint: Checkpoint, kind: String, under parent: String,
                          _ body: (String) async throws -> T) async throws -> T {
        let directory = (parent as NSString).appendingPathComponent(
            "\(kind)-\(CheckpointEvaluator.sanitized(checkpoint.runID))-\(checkpoint.iteration)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AgentError(.copy, "cannot create the work directory \(directory): \(error)", underlying: error)
        }
        add(directory)
        defer { remove(directory) }
        return try await body(directory)
    }

    func add(_ path: String) { paths.withLock { _ = $0.insert(path) } }

    /// Removes `path` and forgets it.
    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        paths.withLock { _ = $0.remove(path) }
    }

    /// The directories in progress now.
    package var current: Set<String> { paths.withLock { $0 } }

    /// Removes every directory still in progress (synchronously: the caller is about to exit).
    package func removeAll() {
        for path in paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        paths.withLock { $0.removeAll() }
    }
}
