import Synchronization
import Workspace

/// The report's one read-only connection to a training-data workspace, opened on first use and kept for the
/// sources' lifetime: every poll of a live page shares its pool (a pool per poll ran PostgreSQL out of
/// connections). Callers arriving together share one open; an open that failed is tried again by the next one.
final class SharedWorkspace: Sendable {
    let location: String
    private let opening = Mutex<Task<any WorkspaceStore, any Error>?>(nil)

    init(location: String) { self.location = location }

    /// The open workspace.
    func store() async throws -> any WorkspaceStore {
        let location = location
        let task = opening.withLock { opening in
            if let opening { return opening }
            let task = Task { try await Workspace.open(location, readOnly: true) }
            opening = task
            return task
        }
        do {
            return try await task.value
        } catch {
            opening.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    /// Closes the connection; a later ``store()`` opens a new one.
    func close() async {
        let task = opening.withLock { opening in
            defer { opening = nil }
            return opening
        }
        if let store = try? await task?.value { await store.close() }
    }
}
