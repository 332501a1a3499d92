import Evaluation
import Foundation
import JSONValues
import Recording

/// Everything a report is built from, already read: store rows, score files and probe-result files.
/// ``load(store:scoreFiles:probeFiles:)`` reads the sources; tests build it directly.
public struct ReportInput: Sendable {
    /// A score file: its name, raw bytes (for ``ScoreComparison``) and model averages.
    public struct ScoreFileSource: Sendable {
        public var name: String
        public var data: Data
        public var averages: [String: [String: Double]]
        /// The file's `metadata` object, if any.
        public var metadata: [String: JSONValue]
    }

    /// A probe-result file and its name.
    public struct ProbeFileSource: Sendable {
        public var name: String
        public var file: ProbeResultFile
    }

    public var storePath: String?
    public var storeMigrations: [String] = []
    public var checkpoints: [CheckpointScore] = []
    public var probeResults: [ProbeResultRecord] = []
    /// Item scores of the capability judge (`capability_<dimension>`; a nil value is an unscored verdict).
    public var judgeItems: [ItemScore] = []
    /// Per-probe judge verdicts by suite and dimension (a nil score is an unscored verdict).
    public var judgeScores: [JudgeScoreRecord] = []
    /// Training and validation loss per iteration.
    public var trainingLoss: [TrainingLossRecord] = []
    public var scoreFiles: [ScoreFileSource] = []
    public var probeFiles: [ProbeFileSource] = []
    /// The training-data workspace, when one is given.
    public var workspace: WorkspaceSnapshot?
    /// Facts about the machine that made the report (tool versions, model files and their SHA-256), given by the caller.
    public var environment: [ReproducibilityPanel.Entry] = []
    /// Problems met while loading, each naming its source.
    public var problems: [String] = []

    public init() {}

    /// Reads every source given. A source that cannot be read is reported in ``problems`` and left out; the rest
    /// are still read.
    public static func load(store: String?, scoreFiles: [String] = [], probeFiles: [String] = []) -> ReportInput {
        var input = ReportInput()
        if let store {
            input.storePath = store
            if !FileManager.default.fileExists(atPath: store) {
                input.problems.append("store \(store): no such file")
            } else {
                do {
                    try input.readStore(ScoreStore(path: store))
                } catch {
                    input.problems.append("store \(store): \(error)")
                }
            }
        }
        for path in scoreFiles {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let averages = try ScoreComparison.averages(data)
                var metadata: [String: JSONValue] = [:]
                if case .object(let root)? = try? JSONDecoder().decode(JSONValue.self, from: data),
                   case .object(let meta)? = root["metadata"] { metadata = meta }
                input.scoreFiles.append(ScoreFileSource(name: Self.name(path), data: data, averages: averages,
                                                        metadata: metadata))
            } catch {
                input.problems.append("score file \(path): \(Self.describe(error))")
            }
        }
        for path in probeFiles {
            do {
                input.probeFiles.append(ProbeFileSource(name: Self.name(path), file: try ProbeResultFile(path: path)))
            } catch {
                input.problems.append("probe-result file \(path): \(Self.describe(error))")
            }
        }
        return input
    }

    /// Reads the store's rows into this input.
    public mutating func readStore(_ store: ScoreStore) throws {
        storePath = store.path
        storeMigrations = try store.appliedMigrations()
        checkpoints = try store.allCheckpoints()
        probeResults = try store.allProbeResults()
        judgeItems = try store.allItemScores(suite: "capability")
        judgeScores = try store.judgeScores()
        trainingLoss = try store.trainingLoss()
    }

    static func name(_ path: String) -> String { (path as NSString).lastPathComponent }

    static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError, error.code == .fileReadNoSuchFile { return "no such file" }
        return "\(error)"
    }
}
