import ArgumentParser
import Foundation
import Workspace

/// `ml data query SQL`
struct DataQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one SQL query read-only and print the rows tab-separated (SQLite query_only / PostgreSQL READ ONLY).",
        discussion: """
            The query runs as written (a ? is not a placeholder), at most --timeout seconds, and prints
            at most --max-rows rows (stderr says when the cap cut the result). On PostgreSQL only queries run (SELECT,
            WITH, VALUES, TABLE, EXPLAIN, SHOW), server-admin functions are refused, and SIGINT/SIGTERM stop the
            query on the server.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "Seconds the query may run.") var timeout: Double = 30
    @Option(help: "Rows printed at most; the rest are not fetched.") var maxRows: Int = 10_000
    @Argument(help: "The SQL query.") var sql: String

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be 0...86400 seconds") }
        guard maxRows > 0 else { throw ValidationError("--max-rows must be at least 1") }
    }

    func run() async throws {
        let (sql, limits) = (sql, QueryLimits(timeout: .milliseconds(Int64(timeout * 1000)), maxRows: maxRows))
        let result = try await withWorkspace(workspace, readOnly: true) { store in
            try await SignalCancellation.run { try await store.query(sql, limits: limits) }
        }
        print(result.columns.joined(separator: "\t"))
        for row in result.rows { print(row.map(\.description).joined(separator: "\t")) }
        if result.truncated { printError("note: the result was cut at --max-rows \(maxRows) rows") }
    }
}
