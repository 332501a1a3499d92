import Foundation
import Inference

/// The work directories of the evaluations in progress, so that a forced exit (a second SIGTERM/SIGINT, which
/// cannot wait for the evaluation's own clean-up) still removes them: ``removeAll()``.
public final class WorkDirectories: Sendable {
    private let paths = Locked<Set<String>>([])

    public init() {}

    func add(_ path: String) { paths.withLock { _ = $0.insert(path) } }

    /// Removes `path` and forgets it.
    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        paths.withLock { _ = $0.remove(path) }
    }

    /// The directories in progress now.
    public var current: Set<String> { paths.withLock { $0 } }

    /// Removes every directory still in progress (synchronously: the caller is about to exit).
    public func removeAll() {
        for path in paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        paths.withLock { $0.removeAll() }
    }
}
