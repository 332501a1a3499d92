import Evaluation
import Foundation
import Recording

/// Brings the reference's result files and training logs into the score store and, when configured, InfluxDB
/// (`ml ingest`): each line through ``Recording/ReferenceIngest`` or ``Recording/TrainingLogParser``, the points
/// written in batches. A line that cannot be read is reported and skipped; a write InfluxDB did not take is
/// buffered (or set aside) and reported. Nothing is printed: problems go to the caller as ``Problem``s.
public struct ReferenceFileIngest: Sendable {
    /// One file kind: how a line becomes points and store rows.
    public enum Kind: String, Sendable {
        case content, capability, trainingLog = "training log"
    }

    /// Something in a file that did not go in; its description is the line `ml ingest` prints.
    public enum Problem: Sendable, CustomStringConvertible {
        /// A line that could not be read or parsed.
        case skipped(path: String, line: Int, reason: String)
        /// An InfluxDB write that failed: its points buffered for the agent to replay.
        case buffered(path: String, error: String)
        /// Batches InfluxDB refused, set aside in `file`.
        case rejected(path: String, batches: Int, file: String, error: String)

        public var description: String {
            switch self {
            case .skipped(let path, let line, let reason): "\(path):\(line): skipped: \(reason)"
            case .buffered(let path, let error): "\(path): InfluxDB write failed, points buffered for the agent to replay: \(error)"
            case .rejected(let path, let batches, let file, let error):
                "\(path): InfluxDB refused \(batches) batch(es), set aside in \(file): \(error)"
            }
        }
    }

    /// What one file gave.
    public struct FileSummary: Sendable, Hashable {
        public var path: String
        /// Points sent to InfluxDB (or built, without it).
        public var points: Int
        /// Rows saved in the store.
        public var storeRows: Int
        public var skippedLines: Int
        /// Whether a write had to be buffered or was refused.
        public var buffered: Bool

        /// Whether anything in the file did not go in.
        public var failed: Bool { skippedLines > 0 || buffered }
    }

    /// The model tag of the points.
    public var model: String
    /// The run id of the points.
    public var runID: String
    /// Points per InfluxDB write.
    public var batchSize: Int
    public var store: ScoreStore
    /// InfluxDB, when configured.
    public var recorder: InfluxRecorder?

    public init(model: String, runID: String, batchSize: Int = 5000, store: ScoreStore, recorder: InfluxRecorder? = nil) {
        self.model = model
        self.runID = runID
        self.batchSize = max(1, batchSize)
        self.store = store
        self.recorder = recorder
    }

    /// Ingests one file, reporting each problem through `onProblem` as it happens. Throws when the file cannot be
    /// read or the store cannot be written.
    public func ingest(_ kind: Kind, path: String, onProblem: @Sendable (Problem) -> Void) async throws -> FileSummary {
        let lines: [TextLine]
        do {
            lines = try TextLineReader.lines(path: path)
        } catch {
            throw RunsError(.input, "cannot read the \(kind.rawValue) file: \(error)", underlying: error)
        }
        var points: [InfluxPoint] = []
        var losses: [TrainingLossRecord] = []
        var judgeScores: [JudgeScoreRecord] = []
        var checkpoints: [CheckpointScore] = []
        var bad = 0
        for textLine in lines {
            guard case .text(let line) = textLine.content else {
                bad += 1
                onProblem(.skipped(path: path, line: textLine.number, reason: textLine.problem ?? "unreadable"))
                continue
            }
            if kind != .trainingLog, line.allSatisfy({ $0.isWhitespace }) { continue }
            do {
                switch kind {
                case .content:
                    let parsed = try ReferenceIngest.content(line, model: model, runID: runID)
                    points += parsed.points
                    judgeScores += parsed.judgeScores
                case .capability:
                    let parsed = try ReferenceIngest.capability(line, model: model, runID: runID)
                    points += parsed.points
                    checkpoints += parsed.checkpoint.map { [$0] } ?? []
                case .trainingLog:
                    guard let entry = try TrainingLogParser.parse(line) else { continue }
                    points.append(try entry.point(runID: runID, model: model))
                    losses.append(entry.record(runID: runID, model: model))
                }
            } catch {
                bad += 1
                onProblem(.skipped(path: path, line: textLine.number, reason: "\(error)"))
            }
        }
        try store.save(trainingLoss: losses)
        try store.save(judgeScores: judgeScores)
        for checkpoint in checkpoints { try store.save(checkpoint) }
        var buffered = false
        if let recorder {
            for start in stride(from: 0, to: points.count, by: batchSize) {
                switch try await recorder.record(Array(points[start..<min(start + batchSize, points.count)])) {
                case .buffered(_, _, let error):
                    onProblem(.buffered(path: path, error: "\(error)"))
                    buffered = true
                case .rejected(let batches, _, let file, let error):
                    onProblem(.rejected(path: path, batches: batches, file: file, error: "\(error)"))
                    buffered = true
                case .written:
                    break
                }
            }
        }
        return FileSummary(path: path, points: points.count, storeRows: losses.count + judgeScores.count + checkpoints.count,
                           skippedLines: bad, buffered: buffered)
    }
}
