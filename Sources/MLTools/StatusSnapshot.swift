import Foundation
import JSONValues
import MLErrors
import Recording
import Workspace

/// What swift-ml has done so far, read now: training and generation progress from InfluxDB when one is configured,
/// the training-data workspace's counts and each run's latest evaluated checkpoint from the agent's score store. A
/// source that is absent, unreachable or unreadable is a note, not a failure. `ml status`, the MCP tool `ml_status`
/// and REST `/v1/ml/status` all show this one snapshot.
public struct StatusSnapshot: Sendable {
    /// The InfluxDB part; nil when no InfluxDB is configured.
    public var influx: StatusInfluxProgress?
    public var workspace: WorkspaceStatus?
    /// Each run's newest checkpoint (highest iteration), runs by name.
    public var latestCheckpoints: [CheckpointScore]
    /// Checkpoints evaluated in all.
    public var evaluatedCheckpoints: Int
    public var notes: [String]
    /// The sources that could be read (`influx`, `store`, `workspace`): none means the snapshot says nothing.
    public var sourcesRead: [String]

    /// Reads InfluxDB when configured, the store (never created here) and the workspace (read-only).
    public static func read(store: String?, workspace: String?, influx: InfluxConfiguration? = nil) async -> StatusSnapshot {
        var snapshot = StatusSnapshot(influx: nil, workspace: nil, latestCheckpoints: [], evaluatedCheckpoints: 0, notes: [],
                                      sourcesRead: [])
        if let influx {
            let progress = await StatusInfluxProgress.read(influx)
            snapshot.influx = progress
            snapshot.notes += progress.notes
            if progress.reachable { snapshot.sourcesRead.append("influx") }
        } else {
            snapshot.notes.append("no InfluxDB configured (--influx): no training or generation progress")
        }
        if let store {
            if FileManager.default.fileExists(atPath: store) {
                do {
                    let all = try ScoreStore(path: store).allCheckpoints()
                    snapshot.sourcesRead.append("store")
                    snapshot.evaluatedCheckpoints = all.count
                    snapshot.latestCheckpoints = Dictionary(grouping: all, by: \.runID).values
                        .compactMap { $0.max { $0.iteration < $1.iteration } }
                        .sorted { $0.runID < $1.runID }
                } catch {
                    snapshot.notes.append("score store \(store): \(error)")
                }
            } else {
                snapshot.notes.append("no score store at \(store) (the agent has evaluated nothing there yet)")
            }
        }
        if let workspace {
            if !workspace.contains("://"), !FileManager.default.fileExists(atPath: workspace) {
                snapshot.notes.append("no workspace at \(workspace)")
            } else {
                do {
                    let opened = try await Workspace.open(workspace, readOnly: true)
                    do {
                        snapshot.workspace = try await opened.status()
                        snapshot.sourcesRead.append("workspace")
                    } catch {
                        snapshot.notes.append("workspace \(URLRedaction.printable(workspace)): \(error)")
                    }
                    await opened.close()
                } catch {
                    snapshot.notes.append("workspace \(URLRedaction.printable(workspace)): \(error)")
                }
            }
        }
        return snapshot
    }

    /// The snapshot as JSON (snake_case keys).
    public func json() -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        let checkpoints = latestCheckpoints.map { c -> JSONValue in
            .object([
                "run_id": .string(c.runID), "label": .string(c.label), "model": .string(c.model),
                "iteration": .number(Double(c.iteration)), "accuracy": .number(c.accuracy),
                "correct": .number(Double(c.correct)), "total": .number(Double(c.total)), "judge_avg": number(c.judgeAvg),
                "scored_at": .string(ISO8601DateFormatter().string(from: c.scoredAt)),
            ])
        }
        var workspaceJSON: JSONValue = .null
        if let w = workspace {
            workspaceJSON = .object([
                "seeds": .number(Double(w.seeds)), "prompts": .number(Double(w.prompts)), "pending": .number(Double(w.pending)),
                "leased": .number(Double(w.leased)), "failed": .number(Double(w.failed)), "answered": .number(Double(w.answered)),
                "scored": .number(Double(w.scored)), "approved": .number(Double(w.approved)),
                "rejected": .number(Double(w.rejected)), "golden": .number(Double(w.golden)), "exports": .number(Double(w.exports)),
                "answers_last_minute": .number(Double(w.answersLastMinute)),
            ])
        }
        return .object([
            "workspace": workspaceJSON, "latest_checkpoints": .array(checkpoints),
            "evaluated_checkpoints": .number(Double(evaluatedCheckpoints)), "notes": .array(notes.map(JSONValue.string)),
            "influx": influx.map { .object(["reachable": .bool($0.reachable)]) } ?? .null,
            "training": .array((influx?.training ?? []).map(\.json)),
            "generation": .array((influx?.generation ?? []).map(\.json)),
            "sources_read": .array(sourcesRead.map(JSONValue.string)),
        ])
    }

    /// One screen for a person or a model: the reference's Training and Generation sections (when InfluxDB is
    /// configured), then the workspace, the checkpoints and the notes.
    public func text() -> String {
        var lines: [String] = []
        if let influx {
            lines.append("Training:")
            lines += influx.training.isEmpty ? ["  (no data)"] : influx.training.map(\.line)
            lines.append("")
            lines.append("Generation:")
            lines += influx.generation.isEmpty ? ["  (no data)"] : influx.generation.map(\.line)
            lines.append("")
        }
        if let w = workspace {
            lines.append("workspace: \(w.seeds) seeds, \(w.prompts) prompts (\(w.pending) pending), \(w.answered) answered, "
                         + "\(w.scored) scored, \(w.approved) approved, \(w.golden) golden")
        }
        lines.append("\(evaluatedCheckpoints) checkpoint(s) evaluated")
        for c in latestCheckpoints {
            lines.append("\(c.runID): latest \(c.label) (iteration \(c.iteration)) \(String(format: "%.1f", c.accuracy))% "
                         + "(\(c.correct)/\(c.total))")
        }
        lines += notes
        return lines.joined(separator: "\n")
    }
}
