import Foundation

/// The workspace schema as versioned migrations, the same statements on both engines (types both accept:
/// `TEXT`, `BIGINT`, `DOUBLE PRECISION`; times are seconds since 1970). Append new migrations; never edit an
/// applied one. Every row records where it came from: `source` (file and line, or the stage that made it),
/// and for answers the model, its settings, the endpoint or model file and the worker.
///
/// Answers are keyed by prompt id alone: a prompt has exactly one answer, whatever model or settings, so the
/// primary key is what makes a duplicate answer impossible (a second worker's insert of the same prompt is a
/// no-op). Leases live on the prompt row itself (`lease_owner`, `lease_expires`) rather than in a table of their
/// own: a claim then updates the very row it locked, so PostgreSQL re-checks a concurrent claim's condition
/// against the committed lease instead of handing the prompt out twice.
public enum WorkspaceSchema {
    public struct Migration: Sendable {
        public var id: String
        public var statements: [String]
    }

    public static let migrations: [Migration] = [
        Migration(id: "v1", statements: [
            """
            CREATE TABLE seeds (
                id TEXT PRIMARY KEY, prompt TEXT NOT NULL, region TEXT, domain TEXT, voice TEXT,
                source TEXT NOT NULL, imported_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE prompts (
                id TEXT PRIMARY KEY, seed_id TEXT, prompt TEXT NOT NULL, region TEXT, domain TEXT, voice TEXT,
                priority BIGINT NOT NULL DEFAULT 0, source TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
                lease_owner TEXT, lease_expires DOUBLE PRECISION, attempts BIGINT NOT NULL DEFAULT 0,
                last_error TEXT, created_at DOUBLE PRECISION NOT NULL)
            """,
            // The claim's order: pending prompts by priority (highest first), then id — one index range, no sort.
            "CREATE INDEX prompts_queue ON prompts (state, priority DESC, id)",
            """
            CREATE TABLE answers (
                prompt_id TEXT PRIMARY KEY REFERENCES prompts (id), response TEXT NOT NULL, model TEXT NOT NULL,
                model_source TEXT NOT NULL, settings TEXT NOT NULL, worker_id TEXT NOT NULL,
                finish_reason TEXT NOT NULL, prompt_tokens BIGINT, completion_tokens BIGINT,
                started_at DOUBLE PRECISION NOT NULL, duration_seconds DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX answers_created ON answers (created_at)",
            """
            CREATE TABLE scores (
                prompt_id TEXT NOT NULL REFERENCES answers (prompt_id), scorer TEXT NOT NULL, metric TEXT NOT NULL,
                value DOUBLE PRECISION, detail TEXT, source TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (prompt_id, scorer, metric))
            """,
            """
            CREATE TABLE approvals (
                prompt_id TEXT PRIMARY KEY REFERENCES answers (prompt_id), approved BIGINT NOT NULL,
                rule TEXT NOT NULL, reason TEXT, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE golden (
                id TEXT PRIMARY KEY, prompt TEXT NOT NULL, response TEXT NOT NULL, region TEXT, domain TEXT,
                voice TEXT, prompt_id TEXT, source TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE exports (
                id TEXT PRIMARY KEY, directory TEXT NOT NULL, seed BIGINT NOT NULL, split TEXT NOT NULL,
                counts TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE workers (
                id TEXT PRIMARY KEY, host TEXT NOT NULL, model TEXT NOT NULL, started_at DOUBLE PRECISION NOT NULL,
                last_heartbeat DOUBLE PRECISION NOT NULL, answered BIGINT NOT NULL DEFAULT 0, stopped_at DOUBLE PRECISION)
            """,
        ]),
    ]

    /// The tables of the schema, in dependency order.
    public static let tables = ["seeds", "prompts", "answers", "scores", "approvals", "golden", "exports", "workers"]
}

extension WorkspaceStore {
    /// Applies pending migrations, each in its own transaction with its bookkeeping row; refuses a schema that
    /// has migrations this program does not know (a newer program wrote it).
    public func migrate() async throws {
        try await write { tx in
            try await self.lockForMigration(tx)
            try await tx.execute(
                "CREATE TABLE IF NOT EXISTS workspace_migrations (id TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
            )
        }
        for migration in WorkspaceSchema.migrations {
            try await write { tx in
                try await self.lockForMigration(tx)
                let applied = try await tx.rows("SELECT id FROM workspace_migrations").compactMap { $0.values[0].string }
                let unknown = Set(applied).subtracting(WorkspaceSchema.migrations.map(\.id))
                guard unknown.isEmpty else {
                    throw WorkspaceError(
                        .schema, "\(self.location): schema has migrations \(unknown.sorted()) unknown to this program")
                }
                guard !applied.contains(migration.id) else { return }
                for statement in migration.statements { try await tx.execute(statement) }
                try await tx.execute(
                    "INSERT INTO workspace_migrations (id, applied_at) VALUES (?, ?)",
                    [.text(migration.id), .double(Date().timeIntervalSince1970)])
            }
        }
    }

    /// Identifiers of the applied migrations, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read { tx in
            try await tx.rows("SELECT id FROM workspace_migrations ORDER BY id").compactMap { $0.values[0].string }
        }
    }

    /// Checks that every migration this program knows is applied (for read-only opens, which cannot migrate).
    func checkSchema() async throws {
        let applied: [String]
        do {
            applied = try await appliedMigrations()
        } catch let error as WorkspaceError where error.code == .connection {
            throw error
        } catch {
            throw WorkspaceError(.schema, "\(location) is not a workspace (no schema): \(error)", underlying: error)
        }
        let missing = WorkspaceSchema.migrations.map(\.id).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw WorkspaceError(.schema, "\(location): migrations \(missing) not applied; open it once for writing")
        }
    }
}
