import GRDB

/// Whole-store reads for reports: every checkpoint, probe result and item score, and a cheap change stamp.
extension ScoreStore {
    /// Every scored checkpoint, ordered by run ID, iteration and label.
    public func allCheckpoints() throws -> [CheckpointScore] {
        try query { db in
            try CheckpointScore.order(Column("run_id"), Column("iteration"), Column("label")).fetchAll(db)
        }
    }

    /// Every probe result, ordered by run ID, label and probe ID.
    public func allProbeResults() throws -> [ProbeResultRecord] {
        try query { db in
            try ProbeResultRecord.order(Column("run_id"), Column("label"), Column("probe_id")).fetchAll(db)
        }
    }

    /// Every item score of `suite` (all suites when nil), ordered by run ID, label, item ID and metric.
    public func allItemScores(suite: String? = nil) throws -> [ItemScore] {
        try query { db in
            var request = ItemScore.all()
            if let suite { request = request.filter(Column("suite") == suite) }
            return try request.order(Column("run_id"), Column("label"), Column("item_id"), Column("metric")).fetchAll(db)
        }
    }

    /// The change stamp of the store at `path`, read without opening (or migrating) it as a ``ScoreStore``.
    public static func changeStamp(path: String) throws -> String {
        try query(path: path) { db in try stamp(db) }
    }

    /// A value that changes whenever a row is added to, replaced in or removed from the store's tables
    /// (row count and highest rowid of each): what a live view polls instead of re-reading everything.
    public func changeStamp() throws -> String {
        try query { db in try Self.stamp(db) }
    }

    private static func stamp(_ db: Database) throws -> String {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        var parts: [String] = []
        for table in tables {
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            // INSERT OR REPLACE gives the new row a new rowid, so (count, max rowid) also moves on a replace.
            let row = try Row.fetchOne(db, sql: "SELECT count(*), max(rowid) FROM \(quoted)")
            let count: Int = row?[0] ?? 0
            let newest: Int? = row?[1]
            parts.append("\(table)=\(count)/\(newest ?? 0)")
        }
        return parts.joined(separator: ",")
    }

    /// Runs `body` on a read-only connection of its own (the store's connection is private to ScoreStore.swift).
    private func query<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.query(path: path, body)
    }

    private static func query<T>(path: String, _ body: (Database) throws -> T) throws -> T {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            // The agent may be writing at the same moment (a live report): wait for its transaction, do not fail.
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read(body)
        } catch {
            let message = (error as? DatabaseError)?.message ?? "\(error)"
            throw RecordingError(.store, "cannot read the score store at \(path): \(message)", underlying: error)
        }
    }
}
