import Foundation
import Recording

/// The sources a report reads (store, score files, probe-result files), re-readable: a live page asks for
/// ``stamp()`` on every poll and rebuilds only when it changed.
public struct ReportSources: Sendable {
    public var store: String?
    public var scoreFiles: [String]
    public var probeFiles: [String]
    public var environment: [ReproducibilityPanel.Entry]

    public init(store: String?, scoreFiles: [String] = [], probeFiles: [String] = [],
                environment: [ReproducibilityPanel.Entry] = []) {
        self.store = store
        self.scoreFiles = scoreFiles
        self.probeFiles = probeFiles
        self.environment = environment
    }

    /// Reads every source now.
    public func load() -> ReportInput {
        var input = ReportInput.load(store: store, scoreFiles: scoreFiles, probeFiles: probeFiles)
        input.environment = environment
        return input
    }

    /// Changes when any source changes: the store's change stamp and the files' sizes and modification times.
    public func stamp() -> String {
        var parts: [String] = []
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

    /// The report data and its stamp.
    public func build() -> (data: ReportData, stamp: String) {
        let stamp = stamp()
        return (ReportBuilder.build(load()), stamp)
    }
}
