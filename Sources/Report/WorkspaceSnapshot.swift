import Workspace

/// What a report shows of a training-data workspace, read in one go: counts per stage, the workers seen, and seed
/// coverage per region × domain.
package struct WorkspaceSnapshot: Sendable, Hashable {
    /// Where the workspace is, safe to print (no password).
    package var location: String
    package var status: WorkspaceStatus
    package var coverage: [CoverageCell]

    package init(location: String, status: WorkspaceStatus, coverage: [CoverageCell]) {
        self.location = location
        self.status = status
        self.coverage = coverage
    }

    /// Reads an open workspace.
    package static func read(_ store: any WorkspaceStore) async throws -> WorkspaceSnapshot {
        WorkspaceSnapshot(location: store.location, status: try await store.status(), coverage: try await store.coverage())
    }

    /// The live page's part of the sources' stamp, read from the counts alone.
    static func stamp(_ store: any WorkspaceStore) async throws -> String {
        stamp(try await store.status())
    }

    /// Changes when the counts do: the live page's part of the sources' stamp.
    var stamp: String { Self.stamp(status) }

    static func stamp(_ s: WorkspaceStatus) -> String {
        [s.seeds, s.prompts, s.pending, s.answered, s.scored, s.approved, s.rejected, s.golden, s.exports,
                s.workers.count].map(String.init).joined(separator: ",")
    }
}
