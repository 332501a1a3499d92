import Workspace

/// What a report shows of a training-data workspace, read in one go: counts per stage, the workers seen, and seed
/// coverage per region × domain.
public struct WorkspaceSnapshot: Sendable, Hashable {
    /// Where the workspace is, safe to print (no password).
    public var location: String
    public var status: WorkspaceStatus
    public var coverage: [CoverageCell]

    public init(location: String, status: WorkspaceStatus, coverage: [CoverageCell]) {
        self.location = location
        self.status = status
        self.coverage = coverage
    }

    /// Opens the workspace at `location` (a SQLite path or a `postgres://` URL) read-only and reads it.
    public static func read(_ location: String) async throws -> WorkspaceSnapshot {
        let store = try await Workspace.open(location, readOnly: true)
        do {
            let snapshot = WorkspaceSnapshot(location: store.location, status: try await store.status(),
                                             coverage: try await store.coverage())
            await store.close()
            return snapshot
        } catch {
            await store.close()
            throw error
        }
    }

    /// Changes when the counts do: the live page's part of the sources' stamp.
    var stamp: String {
        let s = status
        return [s.seeds, s.prompts, s.pending, s.answered, s.scored, s.approved, s.rejected, s.golden, s.exports,
                s.workers.count].map(String.init).joined(separator: ",")
    }
}
