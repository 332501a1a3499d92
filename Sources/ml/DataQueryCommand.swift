import ArgumentParser
import Foundation

/// `ml data query SQL`
struct DataQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one SQL query read-only and print the rows tab-separated (SQLite query_only / PostgreSQL READ ONLY).")

    @OptionGroup var workspace: WorkspaceOptions
    @Argument(help: "The SQL query.") var sql: String

    func run() async throws {
        let result = try await withWorkspace(workspace, readOnly: true) { try await $0.query(sql) }
        print(result.columns.joined(separator: "\t"))
        for row in result.rows { print(row.map(\.description).joined(separator: "\t")) }
    }
}
