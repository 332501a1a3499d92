import Foundation

/// Statements inside one transaction of a workspace engine. SQL uses `?` placeholders on both engines (the
/// PostgreSQL engine numbers them); only the statements the schema and queue need are used, all portable
/// between SQLite ≥ 3.35 and PostgreSQL ≥ 9.5 (`ON CONFLICT`, `RETURNING`).
public protocol WorkspaceTransaction: Sendable {
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs a user's read-only statement exactly as written (no placeholders: a `?` stays a `?`) within `limits`:
    /// at most `limits.maxRows` rows, the rest never fetched, a statement timeout, the statement stopped when the
    /// task is cancelled, and on PostgreSQL no server-admin functions and exact text for numbers and times.
    func query(_ sql: String, limits: QueryLimits) async throws -> QueryResult
}

extension WorkspaceTransaction {
    public func execute(_ sql: String) async throws { try await execute(sql, []) }
    public func rows(_ sql: String) async throws -> [SQLRow] { try await rows(sql, []) }

    /// The first column of the first row, as an integer (e.g. a `COUNT(*)`).
    public func count(_ sql: String, _ binds: [SQLValue] = []) async throws -> Int {
        try await rows(sql, binds).first?.values.first?.int ?? 0
    }

    /// Runs `body` in a transaction begun by `begin` (`BEGIN IMMEDIATE`, `BEGIN READ ONLY`…): `COMMIT` when it
    /// returns, `ROLLBACK` (its own failure ignored) when anything throws. Both engines' transactions are this.
    func committing<T>(begin: String, _ body: (any WorkspaceTransaction) async throws -> T) async throws -> T {
        try await execute(begin)
        do {
            let result = try await body(self)
            try await execute("COMMIT")
            return result
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }
}
