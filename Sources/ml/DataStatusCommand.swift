import ArgumentParser
import DataPipeline
import Foundation
import Workspace

/// `ml data status [--json]`
struct DataStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Counts per stage, per worker, and throughput (read-only).")

    @OptionGroup var workspace: WorkspaceOptions
    @Flag(help: "One JSON object (snake_case keys).") var json = false

    func run() async throws {
        let status = try await withWorkspace(workspace, readOnly: true) { try await $0.status() }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        print("""
            seeds \(status.seeds)   prompts \(status.prompts)   pending \(status.pending) (leased \(status.leased), \
            with errors \(status.failed))
            answered \(status.answered)   scored \(status.scored)   approved \(status.approved)   rejected \(status.rejected)
            golden \(status.golden)   exports \(status.exports)   answers in the last minute \(status.answersLastMinute)
            """)
        let now = Date().timeIntervalSince1970
        for worker in status.workers {
            let state = worker.stoppedAt != nil ? "stopped" : String(format: "heartbeat %.0f s ago", now - worker.lastHeartbeat)
            print("worker \(worker.id) on \(worker.host) (\(worker.model)): \(worker.answered) answered, \(state)")
        }
    }
}
