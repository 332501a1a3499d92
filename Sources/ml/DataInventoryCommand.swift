import ArgumentParser
import Foundation

/// `ml data inventory`
struct DataInventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "The workspace's tables and their row counts (read-only).")

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let tables = try await withWorkspace(workspace, readOnly: true) { try await $0.inventory() }
        print("workspace \(workspace.location)")
        for (table, rows) in tables { print("\(table.padding(toLength: 12, withPad: " ", startingAt: 0)) \(rows)") }
    }
}
