import Foundation
import GRDB

/// The workspace in one SQLite file through GRDB. A write transaction is `BEGIN IMMEDIATE`: it takes the file's
/// write lock at once, so a claim's select and update are one atomic step against every other process (other
/// writers wait up to the busy timeout). WAL journal, so readers never block the writer.
public final class SQLiteWorkspace: WorkspaceStore {
    public let engine = WorkspaceEngine.sqlite
    public let location: String
    public let isReadOnly: Bool
    public let claimLockClause = ""
    private let queue: DatabaseQueue
    /// Statements of one transaction run in separate `inDatabase` calls; this keeps other tasks out between them.
    private let lock = AsyncSerialLock()

    /// Opens (creating unless `readOnly`) the SQLite file at `path`; its directory is created if missing. A
    /// read-only open also works where nothing can be written beside the file (see ``openReadOnly(_:_:)``).
    public init(path: String, readOnly: Bool = false) throws {
        location = path
        isReadOnly = readOnly
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.readonly = readOnly
        // Transactions are opened and closed by explicit statements across several accesses (see `transaction`).
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            if readOnly {
                try db.execute(sql: "PRAGMA query_only = 1")
            } else {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
        }
        do {
            if readOnly {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw WorkspaceError(.location, "no workspace at \(path)")
                }
            } else {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            queue = readOnly ? try Self.openReadOnly(path, configuration) : try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError(.location, "cannot open the workspace \(path): \(error)", underlying: error)
        }
    }

    /// Opens `path` with `SQLITE_OPEN_READONLY` and reads its schema once. Reading a WAL-mode file needs its
    /// `-shm` (and `-wal`) files, which SQLite creates beside it; where the directory refuses them (a read-only
    /// mount, a file the user may only read) the file is opened `immutable` instead: no side files at all. Safe
    /// there, because no writer can be at work on a file whose `-wal` cannot exist.
    static func openReadOnly(_ path: String, _ configuration: Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { _ = try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        } catch let original {
            guard !FileManager.default.fileExists(atPath: path + "-wal") else { throw original }
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
            do {
                let queue = try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration)
                try queue.inDatabase { _ = try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
                return queue
            } catch {
                throw original
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T {
        guard !isReadOnly else { throw WorkspaceError(.readOnly, "\(location) is open read-only") }
        return try await transaction(begin: "BEGIN IMMEDIATE", body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN DEFERRED", body)
    }

    public func lockForMigration(_ transaction: any WorkspaceTransaction) async throws {}

    public func close() async {
        try? queue.close()
    }

    private func transaction<T>(begin: String, _ body: (any WorkspaceTransaction) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await Transaction(queue: queue, location: location, readOnly: isReadOnly).committing(begin: begin, body)
        }
    }

    struct Transaction: WorkspaceTransaction {
        let queue: DatabaseQueue
        let location: String
        let readOnly: Bool

        func execute(_ sql: String, _ binds: [SQLValue]) async throws {
            try SQLValue.requireStorable(binds, location: location)
            try run(sql) { db in try db.execute(sql: sql, arguments: Self.arguments(binds)) }
        }

        func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try SQLValue.requireStorable(binds, location: location)
            return try run(sql) { db in
                try Row.fetchAll(db, sql: sql, arguments: Self.arguments(binds)).map { row in
                    SQLRow(columns: Array(row.columnNames), values: row.databaseValues.map(Self.value))
                }
            }
        }

        func query(_ sql: String, limits: QueryLimits) async throws -> QueryResult {
            try await execute("PRAGMA query_only = 1")
            // Why: SQLite has no statement timeout; an interrupt — from a timer, or from the task's cancellation
            // (SIGINT/SIGTERM) — stops the running statement at its next step. The timer is a dispatch timer, not
            // a task: the statement blocks its thread, and a busy concurrency pool must not delay the interrupt.
            let queue = queue
            let timer = DispatchWorkItem { queue.interrupt() }
            DispatchQueue.global().asyncAfter(
                deadline: .now() + .nanoseconds(Int(min(limits.timeout, .seconds(86_400)) / .nanoseconds(1))), execute: timer)
            defer { timer.cancel() }
            let result: QueryResult
            do {
                result = try await withTaskCancellationHandler {
                    try query(sql, maxRows: limits.maxRows)
                } onCancel: {
                    queue.interrupt()
                }
            } catch {
                try? await execute("PRAGMA query_only = \(readOnly ? 1 : 0)")
                throw error
            }
            try await execute("PRAGMA query_only = \(readOnly ? 1 : 0)")
            return result
        }

        /// The rows of `sql`, at most `maxRows`, read through a cursor (the rest are never computed).
        private func query(_ sql: String, maxRows: Int) throws -> QueryResult {
            try run(sql) { db in
                let statement = try db.makeStatement(sql: sql)
                let cursor = try Row.fetchCursor(statement)
                var result = QueryResult(columns: statement.columnNames, rows: [])
                while let row = try cursor.next() {
                    if result.rows.count == maxRows {
                        result.truncated = true
                        break
                    }
                    result.rows.append(row.databaseValues.map(Self.value))
                }
                return result
            }
        }

        private func run<T>(_ sql: String, _ body: (Database) throws -> T) throws -> T {
            do {
                return try queue.inDatabase(body)
            } catch {
                throw WorkspaceError(.database, "\(location): \(Self.describe(error)) in: \(sql)", underlying: error)
            }
        }

        static func arguments(_ binds: [SQLValue]) -> StatementArguments {
            StatementArguments(binds.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .integer(let value): value
                case .double(let value): value
                case .text(let value): value
                }
            })
        }

        static func value(_ value: DatabaseValue) -> SQLValue {
            switch value.storage {
            case .null: .null
            case .int64(let value): .integer(value)
            case .double(let value): .double(value)
            case .string(let value): .text(value)
            case .blob(let data): .text(String(decoding: data, as: UTF8.self))
            }
        }

        static func describe(_ error: any Error) -> String {
            if let error = error as? DatabaseError { return error.message ?? "\(error)" }
            return "\(error)"
        }
    }
}
