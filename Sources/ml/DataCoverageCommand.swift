import ArgumentParser
import Foundation

/// `ml data coverage`
struct DataCoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Seeds and golden rows per region × domain, gaps marked (read-only).")

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let cells = try await withWorkspace(workspace, readOnly: true) { try await $0.coverage() }
        print("region\tdomain\tseeds\tgolden")
        for cell in cells {
            let gap = cell.seeds == 0 ? "\tGAP" : ""
            print("\(cell.region.isEmpty ? "-" : cell.region)\t\(cell.domain.isEmpty ? "-" : cell.domain)\t\(cell.seeds)\t\(cell.golden)\(gap)")
        }
        let gaps = cells.filter { $0.seeds == 0 }.count
        print("\(cells.count) cells, \(gaps) without seeds")
    }
}
