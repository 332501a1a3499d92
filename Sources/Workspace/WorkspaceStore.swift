import Foundation
import MLErrors

/// Which database engine holds a workspace.
public enum WorkspaceEngine: String, Sendable, Codable {
    /// One file through GRDB: one machine, one writer at a time.
    case sqlite
    /// A PostgreSQL server through postgres-nio's pooled client: many machines, many workers.
    case postgres
}

/// The training-data workspace: seeds, prompts to expand, answers, scores, approvals, the golden set, exports
/// and the workers that answer. One schema (``WorkspaceSchema``) on two engines, ``SQLiteWorkspace`` and
/// ``PostgresWorkspace``, which supply only transactions and a few dialect details; every operation is written
/// once, in the protocol's extensions, in SQL both engines accept.
public protocol WorkspaceStore: AnyObject, Sendable {
    var engine: WorkspaceEngine { get }
    /// Where the workspace is, safe to print (no password).
    var location: String { get }
    /// Opened read-only: writes fail (SQLite `query_only`, PostgreSQL `READ ONLY` transactions).
    var isReadOnly: Bool { get }
    /// Appended to the claim's row selection: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent workers
    /// skip each other's rows instead of waiting; empty on SQLite, whose write transaction is already exclusive.
    var claimLockClause: String { get }

    /// Runs `body` in one write transaction (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `BEGIN`), committed when it
    /// returns and rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T
    /// Runs `body` in one read-only transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T
    /// Serializes schema migrations between processes inside a write transaction (PostgreSQL: an advisory lock).
    func lockForMigration(_ transaction: any WorkspaceTransaction) async throws
    /// Closes the connections. Idempotent.
    func close() async
}

/// Opens workspaces by location.
public enum Workspace {
    /// `location` safe to print: a URL without its user, password and query (``URLRedaction``); a path as it is.
    public static func printable(_ location: String) -> String { URLRedaction.printable(location) }

    /// Opens the workspace at `location` — a `postgres://` (or `postgresql://`) URL, otherwise a SQLite file
    /// path — and, unless `readOnly`, applies pending migrations. A read-only open requires an existing schema.
    public static func open(_ location: String, readOnly: Bool = false) async throws -> any WorkspaceStore {
        let store: any WorkspaceStore
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            store = try PostgresWorkspace(url: location, readOnly: readOnly)
        } else {
            store = try SQLiteWorkspace(path: location, readOnly: readOnly)
        }
        do {
            if readOnly {
                try await store.checkSchema()
            } else {
                try await store.migrate()
            }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// The default workspace: `workspace.sqlite` under `home` (the program's `$SWIFT_ML_HOME`).
    public static func defaultLocation(home: String) -> String {
        URL(fileURLWithPath: home).appendingPathComponent("workspace.sqlite").path
    }
}
