import MLErrors
import Recording

/// Training and generation progress read from the InfluxDB the reference's trainers and generators write to
/// (`training_status`, `training_loss`, `golden_gen_progress`, `expansion_progress`), as the reference's `ml status`
/// reads it: the newest points of each, the newest one per model (training) or worker (generation) kept.
/// InfluxQL on the v1 API, SQL on v3; v2 has neither here, so it is a note.
public struct StatusInfluxProgress: Sendable, Hashable {
    public var training: [StatusTrainingProgress] = []
    public var generation: [StatusGenerationProgress] = []
    /// Whether the server answered.
    public var reachable = false
    public var notes: [String] = []

    public init() {}

    /// Newest points read per measurement: enough for every model and worker of a dashboard.
    static let trainingLimit = 200
    static let generationLimit = 50

    /// Reads the four measurements. Never throws: an unreachable server or a failed query is a note.
    public static func read(_ configuration: InfluxConfiguration) async -> StatusInfluxProgress {
        var progress = StatusInfluxProgress()
        let server = "InfluxDB at \(URLRedaction.printable(configuration.url))"
        guard configuration.apiVersion != .v2 else {
            progress.notes.append("\(server): the v2 API cannot be queried here (InfluxQL needs v1, SQL v3); no training or generation progress")
            return progress
        }
        let client = InfluxClient(configuration: configuration)
        await read(client, server: server, into: &progress)
        await client.shutdown()
        return progress
    }

    private static func read(_ client: InfluxClient, server: String, into progress: inout StatusInfluxProgress) async {
        let configuration = client.configuration
        guard await client.ping() else {
            progress.notes.append("\(server) did not answer: no training or generation progress")
            return
        }
        progress.reachable = true
        var notes: [String] = []
        func rows(_ measurement: String, where condition: String? = nil, limit: Int) async -> [[String: InfluxValue]] {
            do {
                if configuration.apiVersion == .v3 {
                    let filter = condition.map { " WHERE \($0)" } ?? ""
                    return try await client.querySQL("SELECT * FROM \(measurement)\(filter) ORDER BY time DESC LIMIT \(limit)")
                }
                let filter = condition.map { " WHERE \($0)" } ?? ""
                return try await client.query("SELECT * FROM \"\(measurement)\"\(filter) ORDER BY time DESC LIMIT \(limit)")
                    .flatMap(\.rows)
            } catch {
                // A measurement nothing has written yet is no table to SQL: an empty result, as in InfluxQL.
                if configuration.apiVersion == .v3, "\(error)".lowercased().contains("not found") { return [] }
                notes.append("\(server): \(measurement): \(error)")
                return []
            }
        }
        let status = await rows("training_status", limit: trainingLimit)
        let loss = await rows("training_loss", where: configuration.apiVersion == .v3 ? "loss_type = 'train'" : "\"loss_type\" = 'train'",
                              limit: trainingLimit)
        let golden = await rows("golden_gen_progress", limit: generationLimit)
        let expansion = await rows("expansion_progress", limit: generationLimit)
        progress.training = training(status: status, loss: loss)
        progress.generation = generation(golden, kind: .golden) + generation(expansion, kind: .expansion)
        progress.notes += notes
    }

    /// The newest status row per model merged with the newest train-loss row per model (rows newest first),
    /// by model name. A model with loss rows only takes its iteration from the newest of them.
    static func training(status: [[String: InfluxValue]], loss: [[String: InfluxValue]]) -> [StatusTrainingProgress] {
        var latestLoss: [String: [String: InfluxValue]] = [:]
        for row in loss {
            guard let model = row["model"]?.stringValue, !model.isEmpty, latestLoss[model] == nil else { continue }
            latestLoss[model] = row
        }
        var progress: [String: StatusTrainingProgress] = [:]
        for row in status {
            guard let model = row["model"]?.stringValue, !model.isEmpty, progress[model] == nil else { continue }
            progress[model] = StatusTrainingProgress(
                model: model, runID: row["run_id"]?.stringValue, status: row["status"]?.stringValue,
                iteration: int(row["iteration"]), totalIterations: int(row["total_iters"]), percent: row["pct"]?.doubleValue)
        }
        for (model, row) in latestLoss {
            var entry = progress[model] ?? StatusTrainingProgress(
                model: model, runID: row["run_id"]?.stringValue, iteration: int(row["iteration"]))
            entry.loss = row["loss"]?.doubleValue
            // `SELECT *` gives every column of the measurement, null where a point lacks it.
            entry.learningRate = row["lr"]?.doubleValue ?? row["learning_rate"]?.doubleValue
            progress[model] = entry
        }
        return progress.values.sorted { $0.model < $1.model }
    }

    /// The newest row per worker (rows newest first), by worker name.
    static func generation(_ rows: [[String: InfluxValue]], kind: StatusGenerationProgress.Kind) -> [StatusGenerationProgress] {
        var seen: [String: StatusGenerationProgress] = [:]
        for row in rows {
            guard let worker = row["worker"]?.stringValue, !worker.isEmpty, seen[worker] == nil else { continue }
            seen[worker] = StatusGenerationProgress(
                kind: kind, worker: worker, completed: int(row["completed"]) ?? 0, target: int(row["target"]) ?? 0,
                percent: row["pct"]?.doubleValue ?? 0)
        }
        return seen.values.sorted { $0.worker < $1.worker }
    }

    /// Integers, and floats truncated (the reference reads every number as a float and truncates).
    private static func int(_ value: InfluxValue?) -> Int? {
        guard let value else { return nil }
        if let exact = value.intValue { return Int(exact) }
        return value.doubleValue.flatMap { $0.isFinite && abs($0) < 9e18 ? Int($0) : nil }
    }
}
