import Foundation
import GRDB

/// The SQLite score store (GRDB): which checkpoints are scored, with their capability, judge, content, probe
/// and per-item scores. Writes are upserts (`INSERT OR REPLACE` by primary key), one transaction per call.
public final class ScoreStore: Sendable {
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and applies pending migrations. The directory must exist.
    public init(path: String) throws {
        self.path = path
        do {
            queue = try DatabaseQueue(path: path)
            try Self.migrator.migrate(queue)
        } catch {
            throw RecordingError(.store, "cannot open the score store at \(path): \(Self.describe(error))", underlying: error)
        }
    }

    /// Versioned schema migrations; append new ones (`v2`, …), never edit an applied one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: CheckpointScore.databaseTableName) { t in
                t.column("run_id", .text).notNull()
                t.column("label", .text).notNull()
                t.column("model", .text).notNull()
                t.column("iteration", .integer).notNull()
                t.column("accuracy", .double).notNull()
                t.column("correct", .integer).notNull()
                t.column("total", .integer).notNull()
                t.column("judge_reasoning", .double)
                t.column("judge_correctness", .double)
                t.column("judge_clarity", .double)
                t.column("judge_avg", .double)
                t.column("content", .jsonText)
                t.column("scored_at", .datetime).notNull()
                t.primaryKey(["run_id", "label"])
            }
            try db.create(table: ProbeResultRecord.databaseTableName) { t in
                t.column("run_id", .text).notNull()
                t.column("label", .text).notNull()
                t.column("probe_id", .text).notNull()
                t.column("category", .text).notNull()
                t.column("passed", .boolean).notNull()
                t.column("response", .text)
                t.primaryKey(["run_id", "label", "probe_id"])
            }
            try db.create(table: ItemScore.databaseTableName) { t in
                t.column("run_id", .text).notNull()
                t.column("label", .text).notNull()
                t.column("item_id", .text).notNull()
                t.column("metric", .text).notNull()
                t.column("suite", .text).notNull()
                t.column("value", .double)
                t.column("error", .text)
                t.primaryKey(["run_id", "label", "item_id", "metric"])
            }
        }
        migrator.registerMigration("v2") { db in
            try db.create(table: TrainingLossRecord.databaseTableName) { t in
                t.column("run_id", .text).notNull()
                t.column("model", .text).notNull()
                t.column("iteration", .integer).notNull()
                t.column("loss_type", .text).notNull()
                t.column("loss", .double).notNull()
                t.column("learning_rate", .double)
                t.column("iterations_per_second", .double)
                t.column("tokens_per_second", .double)
                t.primaryKey(["run_id", "iteration", "loss_type"])
            }
            try db.create(table: JudgeScoreRecord.databaseTableName) { t in
                t.column("run_id", .text).notNull()
                t.column("label", .text).notNull()
                t.column("model", .text).notNull()
                t.column("iteration", .integer).notNull()
                t.column("suite", .text).notNull()
                t.column("probe_id", .text).notNull()
                t.column("category", .text)
                t.column("dimension", .text).notNull()
                t.column("score", .double)
                t.primaryKey(["run_id", "label", "suite", "probe_id", "dimension"])
            }
        }
        migrator.registerMigration("v3") { db in
            // `ml agent --samples K`: each probe's tally beside its first answer.
            try db.alter(table: ProbeResultRecord.databaseTableName) { t in
                t.add(column: "samples_passed", .integer)
                t.add(column: "samples", .integer)
            }
        }
        return migrator
    }

    /// Identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    // MARK: - Writes

    /// Upserts a checkpoint with its probe results and item scores in one transaction.
    public func save(_ checkpoint: CheckpointScore, probes: [ProbeResultRecord] = [], items: [ItemScore] = []) throws {
        try write { db in
            try checkpoint.insert(db, onConflict: .replace)
            for probe in probes { try probe.insert(db, onConflict: .replace) }
            for item in items { try item.insert(db, onConflict: .replace) }
        }
    }

    /// Upserts probe results in one transaction (each may be stored as it completes, before its checkpoint row).
    public func save(probes: [ProbeResultRecord]) throws {
        try write { db in
            for probe in probes { try probe.insert(db, onConflict: .replace) }
        }
    }

    /// Upserts item scores in one transaction (items may be stored before their checkpoint is complete).
    public func save(items: [ItemScore]) throws {
        try write { db in
            for item in items { try item.insert(db, onConflict: .replace) }
        }
    }

    /// Upserts training-loss readings in one transaction (one row per run, iteration and loss type).
    public func save(trainingLoss: [TrainingLossRecord]) throws {
        try write { db in
            for record in trainingLoss { try record.insert(db, onConflict: .replace) }
        }
    }

    /// Upserts judge scores in one transaction (one row per run, label, suite, probe and dimension).
    public func save(judgeScores: [JudgeScoreRecord]) throws {
        try write { db in
            for record in judgeScores { try record.insert(db, onConflict: .replace) }
        }
    }

    // MARK: - Reads

    /// Whether the checkpoint has a `checkpoint_scores` row.
    public func isScored(runID: String, label: String) throws -> Bool {
        try read { db in try CheckpointScore.exists(db, key: Self.key(runID, label)) }
    }

    /// Every scored checkpoint.
    public func scoredKeys() throws -> Set<CheckpointKey> {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT run_id, label FROM checkpoint_scores")
            return Set(rows.map { CheckpointKey(runID: $0["run_id"], label: $0["label"]) })
        }
    }

    /// The checkpoint's scores, if stored.
    public func checkpoint(runID: String, label: String) throws -> CheckpointScore? {
        try read { db in try CheckpointScore.fetchOne(db, key: Self.key(runID, label)) }
    }

    /// The checkpoint's probe results, ordered by probe ID.
    public func probeResults(runID: String, label: String) throws -> [ProbeResultRecord] {
        try read { db in
            try ProbeResultRecord
                .filter(Column("run_id") == runID && Column("label") == label)
                .order(Column("probe_id"))
                .fetchAll(db)
        }
    }

    /// The probe results of the run's latest scored checkpoint (its highest iteration), ordered by probe ID; empty
    /// when none of the run is scored.
    public func latestProbeResults(runID: String) throws -> [ProbeResultRecord] {
        try read { db in
            guard let label = try String.fetchOne(
                db, sql: "SELECT label FROM checkpoint_scores WHERE run_id = ? ORDER BY iteration DESC LIMIT 1",
                arguments: [runID])
            else { return [] }
            return try ProbeResultRecord
                .filter(Column("run_id") == runID && Column("label") == label)
                .order(Column("probe_id"))
                .fetchAll(db)
        }
    }

    /// The checkpoint's item scores, ordered by suite, item ID and metric.
    public func itemScores(runID: String, label: String) throws -> [ItemScore] {
        try read { db in
            try ItemScore
                .filter(Column("run_id") == runID && Column("label") == label)
                .order(Column("suite"), Column("item_id"), Column("metric"))
                .fetchAll(db)
        }
    }

    /// Training-loss readings of one run, or of every run, ordered by run ID, iteration and loss type.
    public func trainingLoss(runID: String? = nil) throws -> [TrainingLossRecord] {
        try read { db in
            var request = TrainingLossRecord.all()
            if let runID { request = request.filter(Column("run_id") == runID) }
            return try request.order(Column("run_id"), Column("iteration"), Column("loss_type")).fetchAll(db)
        }
    }

    /// Judge scores of one run, or of every run, ordered by run ID, iteration, label, suite, probe and dimension.
    public func judgeScores(runID: String? = nil) throws -> [JudgeScoreRecord] {
        try read { db in
            var request = JudgeScoreRecord.all()
            if let runID { request = request.filter(Column("run_id") == runID) }
            return try request.order(
                Column("run_id"), Column("iteration"), Column("label"), Column("suite"), Column("probe_id"),
                Column("dimension")
            ).fetchAll(db)
        }
    }

    // MARK: - Plumbing

    private static func key(_ runID: String, _ label: String) -> [String: any DatabaseValueConvertible] {
        ["run_id": runID, "label": label]
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch {
            throw RecordingError(.store, "cannot read the score store at \(path): \(Self.describe(error))", underlying: error)
        }
    }

    private func write(_ body: (Database) throws -> Void) throws {
        do { try queue.write(body) } catch {
            throw RecordingError(.store, "cannot write the score store at \(path): \(Self.describe(error))", underlying: error)
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}

extension ScoreStore {
    /// The tables of the database (for schema checks).
    func tableNames() throws -> Set<String> {
        try read { db in try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")) }
    }
}
