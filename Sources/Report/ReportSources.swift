import Foundation
import Recording
import Workspace

/// The sources a report reads (store, score files, probe-result files), re-readable: a live page asks for
/// ``stamp()`` on every poll and rebuilds only when it changed.
package struct ReportSources: Sendable {
    package var store: String?
    package var scoreFiles: [String]
    package var probeFiles: [String]
    /// A training-data workspace: a SQLite path or a `postgres://` URL.
    package var workspace: String? { connection?.location }
    /// The workspace, opened once and shared by every read of these sources.
    private let connection: SharedWorkspace?
    package var environment: [ReproducibilityPanel.Entry]

    package init(store: String?, scoreFiles: [String] = [], probeFiles: [String] = [], workspace: String? = nil,
                environment: [ReproducibilityPanel.Entry] = []) {
        self.store = store
        self.scoreFiles = scoreFiles
        self.probeFiles = probeFiles
        connection = workspace.map(SharedWorkspace.init(location:))
        self.environment = environment
    }

    /// Reads every source now. A workspace that cannot be read is named in ``ReportInput/problems``.
    package func load() async -> ReportInput {
        var input = ReportInput.load(store: store, scoreFiles: scoreFiles, probeFiles: probeFiles)
        input.environment = environment
        if let connection {
            do {
                input.workspace = try await WorkspaceSnapshot.read(connection.store())
            } catch {
                input.problems.append("workspace \(Workspace.printable(connection.location)): \(error)")
            }
        }
        return input
    }

    /// Changes when any source changes: the store's change stamp, the files' sizes and modification times, and the
    /// workspace's counts.
    package func stamp() async -> String {
        var parts: [String] = []
        if let connection {
            parts.append((try? await WorkspaceSnapshot.stamp(connection.store())) ?? "no workspace")
        }
        if let store {
            if FileManager.default.fileExists(atPath: store), let value = try? ScoreStore.changeStamp(path: store) {
                parts.append(value)
            } else {
                parts.append("no store")
            }
        }
        for path in scoreFiles + probeFiles {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            parts.append("\(size)@\(date)")
        }
        return parts.joined(separator: "|")
    }

    /// Closes the workspace connection (a later read opens it again).
    package func close() async {
        await connection?.close()
    }

    /// The report data and its stamp.
    package func build() async -> (data: ReportData, stamp: String) {
        let stamp = await stamp()
        return (ReportBuilder.build(await load()), stamp)
    }
}
