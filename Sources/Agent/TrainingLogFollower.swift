import Foundation
import Logging
import Recording

/// Follows a growing `mlx_lm.lora` training log (``TrainingLogParser``) and records each loss as it appears:
/// a `training_loss` point in InfluxDB (when configured; a failed write is buffered) and a row in the store, so
/// loss and capability curves share one dashboard and one report.
///
/// Only complete lines are read (a line still being written waits for its newline); a log that shrinks (a new
/// run overwrote it) is read again from the start. A loss line that cannot be read is logged with its line
/// number and skipped.
package actor TrainingLogFollower {
    package nonisolated let path: String
    package nonisolated let runID: String
    package nonisolated let model: String
    private let store: ScoreStore
    private let influx: InfluxRecorder?
    private let logger: Logger
    private var offset: UInt64 = 0
    private var pending = Data()
    private var lineNumber = 0

    /// What one read recorded.
    package struct Progress: Sendable, Hashable {
        package var recorded = 0
        /// The 1-based numbers of the loss lines that could not be read.
        package var badLines: [Int] = []

        package init(recorded: Int = 0, badLines: [Int] = []) {
            self.recorded = recorded
            self.badLines = badLines
        }
    }

    package init(path: String, runID: String, model: String, store: ScoreStore, influx: InfluxRecorder?,
                logger: Logger = Logger(label: "swift-ml.agent.training-log")) {
        self.path = path
        self.runID = runID
        self.model = model
        self.store = store
        self.influx = influx
        self.logger = logger
    }

    /// The run id of a log without one given: its file name without the extension.
    package static func defaultRunID(path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Reads what was appended since the last call and records its losses.
    @discardableResult
    package func readNew() async -> Progress {
        var progress = Progress()
        guard let handle = FileHandle(forReadingAtPath: path) else { return progress }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        if size < offset {
            logger.notice("training log shrank; reading it again from the start", metadata: ["path": "\(path)"])
            (offset, pending, lineNumber) = (0, Data(), 0)
        }
        guard size > offset else { return progress }
        do {
            try handle.seek(toOffset: offset)
            let data = handle.readData(ofLength: Int(size - offset))
            offset += UInt64(data.count)
            pending.append(data)
        } catch {
            logger.warning("cannot read the training log", metadata: ["path": "\(path)", "error": "\(error)"])
            return progress
        }
        var entries: [TrainingLogParser.Entry] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
            pending.removeSubrange(pending.startIndex...newline)
            lineNumber += 1
            do {
                if let entry = try TrainingLogParser.parse(line) { entries.append(entry) }
            } catch {
                progress.badLines.append(lineNumber)
                logger.warning("training log line skipped", metadata: [
                    "path": "\(path)", "line": "\(lineNumber)", "error": "\(error)",
                ])
            }
        }
        guard !entries.isEmpty else { return progress }
        do {
            try store.save(trainingLoss: entries.map { $0.record(runID: runID, model: model) })
            if let influx { try await influx.record(try entries.map { try $0.point(runID: runID, model: model) }) }
            progress.recorded = entries.count
        } catch {
            logger.error("could not record training losses", metadata: ["path": "\(path)", "error": "\(error)"])
        }
        return progress
    }

    /// Reads new lines every `interval` until cancelled or `stop` says so.
    package func follow(every interval: Duration = .seconds(2), stop: @Sendable () -> Bool) async {
        while !stop(), !Task.isCancelled {
            await readNew()
            try? await Task.sleep(for: interval)
        }
        await readNew()
    }
}
