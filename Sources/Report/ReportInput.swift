import Evaluation
import Foundation
import JSONValues
import Recording

/// Everything a report is built from, already read: store rows, score files and probe-result files.
/// ``load(store:scoreFiles:probeFiles:)`` reads the sources; tests build it directly.
package struct ReportInput: Sendable {
    /// A score file: its name, raw bytes (for ``ScoreComparison``) and model averages.
    package struct ScoreFileSource: Sendable {
        package var name: String
        package var data: Data
        package var averages: [String: [String: Double]]
        /// The file's `metadata` object, if any.
        package var metadata: [String: JSONValue]
    }

    /// A probe-result file and its name.
    package struct ProbeFileSource: Sendable {
        package var name: String
        package var file: ProbeResultFile
    }

    package var storePath: String?
    package var storeMigrations: [String] = []
    package var checkpoints: [CheckpointScore] = []
    package var probeResults: [ProbeResultRecord] = []
    /// Item scores of the capability judge (`capability_<dimension>`; a nil value is an unscored verdict).
    package var judgeItems: [ItemScore] = []
    /// Per-probe judge verdicts by suite and dimension (a nil score is an unscored verdict).
    package var judgeScores: [JudgeScoreRecord] = []
    /// Training and validation loss per iteration.
    package var trainingLoss: [TrainingLossRecord] = []
    package var scoreFiles: [ScoreFileSource] = []
    package var probeFiles: [ProbeFileSource] = []
    /// The training-data workspace, when one is given.
    package var workspace: WorkspaceSnapshot?
    /// Facts about the machine that made the report (tool versions, model files and their SHA-256), given by the caller.
    package var environment: [ReproducibilityPanel.Entry] = []
    /// Problems met while loading, each naming its source.
    package var problems: [String] = []

    package init() {}

    /// Reads every source given. A source that cannot be read is reported in ``problems`` and left out; the rest
    /// are still read.
    package static func load(store: String?, scoreFiles: [String] = [], probeFiles: [String] = []) -> ReportInput {
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
    package mutating func readStore(_ store: ScoreStore) throws {
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
