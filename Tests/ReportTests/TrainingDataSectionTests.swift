import Foundation
@testable import Report
import Testing
import Workspace

/// The report's training-data section, read from a real SQLite workspace.
struct TrainingDataSectionTests {
    /// A workspace with three seeds in two cells, two prompts and one golden row: one cell has no golden answers.
    private func workspace(in directory: URL) async throws -> String {
        let path = directory.appendingPathComponent("workspace.sqlite").path
        let store = try await Workspace.open(path)
        try await store.insertSeeds([
            SeedRecord(id: "s1", prompt: "What grows in the Andes?", region: "south-america", domain: "farming", source: "t"),
            SeedRecord(id: "s2", prompt: "How do terraces hold water?", region: "south-america", domain: "farming", source: "t"),
            SeedRecord(id: "s3", prompt: "Who tends the salt flats?", region: "south-america", domain: "labour", source: "t"),
        ])
        try await store.insertPrompts([
            PromptRecord(id: "p1", seedID: "s1", prompt: "What grows in the Andes?", region: "south-america", domain: "farming", source: "t"),
            PromptRecord(id: "p2", seedID: "s3", prompt: "Who tends the salt flats?", region: "south-america", domain: "labour", source: "t"),
        ])
        try await store.insertGolden([
            GoldenRecord(id: "g1", prompt: "What grows in the Andes?", response: "Potatoes, quinoa.",
                         region: "south-america", domain: "farming", source: "t"),
        ])
        await store.close()
        return path
    }

    @Test func stagesCoverageAndGapsFromARealWorkspace() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await workspace(in: directory)
        let data = ReportBuilder.build(await ReportSources(store: nil, workspace: path).load())
        #expect(data.problems.isEmpty)
        let section = try #require(data.trainingData)
        let counts = Dictionary(uniqueKeysWithValues: section.stages.map { ($0.name, $0.count) })
        #expect(counts["seeds"] == 3 && counts["prompts"] == 2 && counts["pending"] == 2 && counts["golden"] == 1)
        #expect(counts["answered"] == 0 && counts["exports"] == 0)
        #expect(section.stages.map(\.name) == ["seeds", "prompts", "pending", "answered", "scored", "approved",
                                               "rejected", "golden", "exports"])
        #expect(section.coverage.map { [$0.domain, String($0.seeds), String($0.golden)] } == [
            ["farming", "2", "1"], ["labour", "1", "0"],
        ])
        #expect(section.coverage.filter(\.gap).map(\.domain) == ["labour"])

        let html = ReportPage.render(data)
        #expect(html.contains("<section id=\"training-data\">"))
        #expect(html.contains("data-chart=\"stages\" data-series=\"1\" data-points=\"9\""))
        #expect(html.components(separatedBy: "<rect class=\"pt\"").count - 1 == 9)
        #expect(html.contains("<tr class=\"gap\"><td>south-america</td><td>labour</td>"))
        #expect(!html.contains("No data yet"))
    }

    @Test func theLiveStampFollowsTheWorkspace() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await workspace(in: directory)
        let sources = ReportSources(store: nil, workspace: path)
        let before = await sources.stamp()
        #expect(await sources.stamp() == before)
        let store = try await Workspace.open(path)
        try await store.insertSeeds([SeedRecord(id: "s4", prompt: "A fourth seed prompt?", source: "t")])
        await store.close()
        #expect(await sources.stamp() != before)
    }

    @Test func anUnreadableWorkspaceIsNamedAndTheRestKept() async throws {
        let data = ReportBuilder.build(await ReportSources(store: nil, workspace: "/nonexistent/workspace.sqlite").load())
        #expect(data.trainingData == nil)
        #expect(data.problems.count == 1 && data.problems[0].hasPrefix("workspace /nonexistent/workspace.sqlite: "))
        #expect(Workspace.printable("postgres://ml:secret@db.example:5433/data?sslmode=require")
                == "postgres://db.example:5433/data")
        #expect(Workspace.printable("/data/workspace.sqlite") == "/data/workspace.sqlite")
    }
}
