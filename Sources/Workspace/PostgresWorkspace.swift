import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The workspace on a PostgreSQL server through postgres-nio's `PostgresClient` (a connection pool; its
/// `run()` loop is owned here). Claims lock their rows with `FOR UPDATE SKIP LOCKED`, so workers on many
/// machines take disjoint batches without waiting on each other.
///
/// URL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` (TLS is
/// preferred unless `sslmode` says otherwise; the password is never printed).
public final class PostgresWorkspace: WorkspaceStore {
    public let engine = WorkspaceEngine.postgres
    public let location: String
    public let isReadOnly: Bool
    public let claimLockClause = "FOR UPDATE SKIP LOCKED"
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let probe: PostgresConnectionProbe
    private let logger = Logger(label: "swift-ml.workspace.postgres")
    /// Longest wait for a pooled connection before a statement fails.
    private let connectionWait: Duration

    /// Connects lazily: the first statement opens the first connection. At most `maxConnections` are pooled.
    public init(url: String, readOnly: Bool = false, maxConnections: Int = 8,
                connectionWait: Duration = .seconds(30)) throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw WorkspaceError(.location, "not a PostgreSQL URL: postgres://USER@HOST[:PORT]/DATABASE expected")
        }
        let user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        let probeTLS: PostgresConnection.Configuration.TLS
        do {
            switch sslmode {
            case "disable":
                tls = .disable
                probeTLS = .disable
            case "prefer", "allow":
                tls = .prefer(.makeClientConfiguration())
                probeTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case "require", "verify-ca", "verify-full":
                tls = .require(.makeClientConfiguration())
                probeTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: throw WorkspaceError(.location, "unknown sslmode '\(sslmode)' in the workspace URL")
            }
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError(.location, "TLS for the workspace: \(error)", underlying: error)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = max(1, maxConnections)
        configuration.options.connectTimeout = .seconds(10)
        var probeConfiguration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: configuration.database, tls: probeTLS)
        probeConfiguration.options.connectTimeout = .seconds(10)
        probe = PostgresConnectionProbe(configuration: probeConfiguration, logger: logger)
        location = Workspace.printable(url)
        isReadOnly = readOnly
        self.connectionWait = connectionWait
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runTask = Task { await client.run() }
    }

    deinit { runTask.cancel() }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T {
        guard !isReadOnly else { throw WorkspaceError(.readOnly, "\(location) is open read-only") }
        return try await transaction(begin: "BEGIN", body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN READ ONLY", body)
    }

    /// A transaction-scoped advisory lock: two processes starting at once migrate one after the other.
    public func lockForMigration(_ transaction: any WorkspaceTransaction) async throws {
        try await transaction.execute("SELECT pg_advisory_xact_lock(727171015)")
    }

    public func close() async {
        runTask.cancel()
    }

    /// Runs one transaction on a pooled connection. Waiting for a connection is bounded by `connectionWait`: the
    /// pool retries an unreachable server for ever, and a worker must fail, not hang, when the server is gone.
    /// A wait past a second also connects once directly (``PostgresConnectionProbe``): a server that refuses
    /// fails the transaction at once, with its reason.
    private func transaction<T: Sendable>(
        begin: String, _ body: @escaping @Sendable (any WorkspaceTransaction) async throws -> T
    ) async throws -> T {
        let acquired = AcquiredFlag()
        let (client, logger, location, wait, probe) = (client, logger, location, connectionWait, probe)
        do {
            return try await withThrowingTaskGroup(of: TransactionOutcome<T>.self) { group in
                group.addTask {
                    let value = try await client.withConnection { connection in
                        acquired.set()
                        return try await Transaction(connection: connection, client: client, logger: logger, location: location)
                            .committing(begin: begin, body)
                    }
                    return .done(value)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(1))
                    guard !acquired.isSet else { return .stillRunning }
                    do {
                        try await probe.check()
                    } catch {
                        guard !acquired.isSet else { return .stillRunning }
                        throw WorkspaceError(.connection, "\(location): cannot connect: \(Transaction.describe(error))",
                                             underlying: error)
                    }
                    return .stillRunning
                }
                group.addTask {
                    try await Task.sleep(for: wait)
                    guard acquired.isSet else {
                        throw WorkspaceError(.connection, "\(location): no connection to the server within \(wait)")
                    }
                    return .stillRunning
                }
                while let outcome = try await group.next() {
                    if case .done(let value) = outcome {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        } catch let error as WorkspaceError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw WorkspaceError(.database, "\(location): \(Transaction.describe(error))", underlying: error)
        }
    }

    /// Whether the transaction got its connection (set once, read by the wait's timer).
    final class AcquiredFlag: Sendable {
        private let state = Mutex(false)
        func set() { state.withLock { $0 = true } }
        var isSet: Bool { state.withLock { $0 } }
    }

    enum TransactionOutcome<T: Sendable>: Sendable {
        case done(T)
        case stillRunning
    }

    struct Transaction: WorkspaceTransaction {
        let connection: PostgresConnection
        /// The pool, for the cancel request of a user's query (its own connection is busy running it).
        let client: PostgresClient
        let logger: Logger
        let location: String

        func execute(_ sql: String, _ binds: [SQLValue]) async throws {
            _ = try await rows(sql, binds)
        }

        func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try SQLValue.requireStorable(binds, location: location)
            return try await run(PostgresQuery(unsafeSQL: binds.isEmpty ? sql : Self.numbered(sql), binds: Self.bindings(binds)),
                          shown: sql, value: Self.value)
        }

        func query(_ sql: String, limits: QueryLimits) async throws -> QueryResult {
            let kind: String
            do {
                kind = try PostgresQueryGuard.check(sql)
            } catch let error as WorkspaceError {
                throw WorkspaceError(.database, "\(location): \(error.message)")
            }
            let milliseconds = max(1, Int(limits.timeout / .milliseconds(1)))
            try await execute("SET LOCAL statement_timeout = \(milliseconds)")
            try await execute("SET LOCAL lock_timeout = \(milliseconds)")
            let pid = try await count("SELECT pg_backend_pid()")
            let client = client
            return try await withTaskCancellationHandler {
                let rows: [SQLRow]
                if kind == "explain" || kind == "show" {
                    rows = try await run(PostgresQuery(unsafeSQL: sql), shown: sql, value: PostgresValueText.value)
                } else {
                    // A cursor computes only the rows fetched: a runaway query (an endless recursive CTE) stops at
                    // the cap instead of filling memory. The user's text follows the prefix as written.
                    try await run(PostgresQuery(unsafeSQL: "DECLARE swiftml_query NO SCROLL CURSOR FOR " + sql), shown: sql,
                                  value: PostgresValueText.value)
                    rows = try await run(PostgresQuery(unsafeSQL: "FETCH FORWARD \(limits.maxRows + 1) FROM swiftml_query"),
                                         shown: sql, value: PostgresValueText.value)
                }
                return QueryResult(columns: rows.first?.columns ?? [], rows: rows.prefix(limits.maxRows).map(\.values),
                                   truncated: rows.count > limits.maxRows)
            } onCancel: {
                // Why: postgres-nio stops reading when the task is cancelled but does not stop the statement; the
                // server would run it to its end. Cancelling the backend from another connection stops it now.
                Task { _ = try? await client.query(PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend(\(pid))")) }
            }
        }

        @discardableResult
        private func run(_ query: PostgresQuery, shown sql: String,
                         value: (PostgresCell) throws -> SQLValue) async throws -> [SQLRow] {
            do {
                var result: [SQLRow] = []
                for try await row in try await connection.query(query, logger: logger) {
                    var columns: [String] = []
                    var values: [SQLValue] = []
                    for cell in row {
                        columns.append(cell.columnName)
                        values.append(try value(cell))
                    }
                    result.append(SQLRow(columns: columns, values: values))
                }
                return result
            } catch let error as WorkspaceError {
                throw error
            } catch {
                throw WorkspaceError(.database, "\(location): \(Self.describe(error)) in: \(sql)", underlying: error)
            }
        }

        /// `?` placeholders → `$1`, `$2`, … (outside quoted strings and identifiers). Only statements with bound
        /// values are numbered; a statement without (a user's query) goes to the server as written.
        static func numbered(_ sql: String) -> String {
            var result = ""
            var number = 0
            var quote: Character?
            for character in sql {
                if let open = quote {
                    if character == open { quote = nil }
                    result.append(character)
                } else if character == "'" || character == "\"" {
                    quote = character
                    result.append(character)
                } else if character == "?" {
                    number += 1
                    result += "$\(number)"
                } else {
                    result.append(character)
                }
            }
            return result
        }

        static func bindings(_ values: [SQLValue]) -> PostgresBindings {
            var bindings = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .null: bindings.appendNull()
                case .integer(let value): bindings.append(value)
                case .double(let value): bindings.append(value)
                case .text(let value): bindings.append(value)
                }
            }
            return bindings
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2: return .integer(Int64(try cell.decode(Int16.self)))
            case .int4: return .integer(Int64(try cell.decode(Int32.self)))
            case .int8: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float4: return .double(Double(try cell.decode(Float.self)))
            case .float8: return .double(try cell.decode(Double.self))
            case .numeric: return .double(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
            default:
                if let text = try? cell.decode(String.self) { return .text(text) }
                return .text("<\(cell.dataType)>")
            }
        }

        /// The server's own message (PSQLError hides it from `description` to avoid leaking data into logs).
        static func describe(_ error: any Error) -> String {
            if let error = error as? PSQLError {
                if let message = error.serverInfo?[.message] { return message }
                if let underlying = error.underlying { return describe(underlying) }
                return "\(error.code)"
            }
            if let error = error as? PostgresTransactionError, let inner = error.closureError {
                return describe(inner)
            }
            if let error = error as? NIOConnectionError, !error.connectionErrors.isEmpty {
                return error.connectionErrors.map { "\($0.target): \($0.error)" }.joined(separator: "; ")
            }
            return "\(error)"
        }
    }
}
