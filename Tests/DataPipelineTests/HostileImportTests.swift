import DataPipeline
import Foundation
import PostgresTestSupport
import Testing
import Workspace

/// Imports of files a hostile or careless user writes: every good row is stored whole, every bad one is named by
/// file and line, and nothing is silently altered, merged or dropped (issue 25: defects 4, 7, 8, 9).
@Suite struct HostileImportTests {
    private func names(_ problems: [RowProblem]) -> [String] {
        problems.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" }
    }

    /// Defect 7: a CRLF file was rejected whole.
    @Test func crlfJSONLinesImportLikeLF() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let path = try files.write("crlf.jsonl", "{\"id\": \"a\", \"prompt\": \"First\"}\r\n{\"id\": \"b\", \"prompt\": \"Second\"}\r\n\r\n")
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(kind: .seeds, files: [path], into: workspace.store)
            #expect(report.problems.isEmpty)
            #expect(report.inserted == 2)
            #expect(try await workspace.store.seeds().map(\.prompt) == ["First", "Second"])
        }
    }

    /// Defect 8: one invalid byte rejected the whole file, and later files of the same import were never read.
    @Test func anInvalidUTF8LineIsNamedAndTheRestIsImported() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        var bytes = Data("{\"id\": \"a\", \"prompt\": \"Good one\"}\n{\"id\": \"b\", \"prompt\": \"Bad ".utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Data("\"}\n{\"id\": \"c\", \"prompt\": \"Good two\"}\n".utf8))
        let bad = files.directory.appendingPathComponent("bad.jsonl")
        try bytes.write(to: bad)
        var csvBytes = Data("id,prompt\nx,fine\ny,not ".utf8)
        csvBytes.append(0xC3)
        csvBytes.append(contentsOf: Data("\nz,also fine\n".utf8))
        let badCSV = files.directory.appendingPathComponent("bad.csv")
        try csvBytes.write(to: badCSV)
        let later = try files.write("later.jsonl", "{\"id\": \"d\", \"prompt\": \"Later file\"}\n")
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(
                kind: .seeds, files: [bad.path, badCSV.path, files.directory.appendingPathComponent("missing.jsonl").path, later],
                into: workspace.store)
            #expect(names(report.problems) == ["bad.jsonl:2", "bad.csv:3", "missing.jsonl:0"])
            #expect(report.problems[0].message.contains("UTF-8"))
            #expect(Set(try await workspace.store.seeds().map(\.id)) == ["a", "c", "x", "z", "d"])
        }
    }

    /// Defect 9: a conflicting duplicate id was dropped silently; `true` collided with `1`; an object id fell back to
    /// the prompt's hash.
    @Test func idsAreStringsOrIntegersAndConflictsAreReported() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let path = try files.write("ids.jsonl", """
            {"id": 1, "prompt": "One"}
            {"id": true, "prompt": "Boolean id"}
            {"id": {"x": 1}, "prompt": "Object id"}
            {"id": null, "prompt": "Null id"}
            {"id": 2.5, "prompt": "Fractional id"}
            {"id": "s", "prompt": "Same"}
            {"id": "s", "prompt": "Same"}
            {"id": "s", "prompt": "Different"}
            {"id": 1.0, "prompt": "Pandas writes floats"}
            """)
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(kind: .seeds, files: [path], into: workspace.store)
            #expect(names(report.problems) == ["ids.jsonl:2", "ids.jsonl:3", "ids.jsonl:4", "ids.jsonl:5", "ids.jsonl:8"])
            #expect(report.problems[0].message.contains("boolean"))
            #expect(report.problems[1].message.contains("object"))
            #expect(report.problems[4].message.contains("different"))
            #expect(report.conflicts == 1)
            let seeds = try await workspace.store.seeds()
            #expect(Set(seeds.map(\.id)) == ["1", "s", "1.0"])
            #expect(seeds.first { $0.id == "s" }?.prompt == "Same")
            // Re-importing the same file: identical rows are already present, the conflict is reported again.
            let again = try await DataImporter.run(kind: .seeds, files: [path], into: workspace.store)
            #expect(again.inserted == 0 && again.conflicts == 1)
        }
    }

    /// Defect 4: SQLite truncated a prompt at a NUL, PostgreSQL rejected the whole file. Both now skip that row by
    /// file and line and store the rest.
    @Test(arguments: TestEngine.allCases)
    func aNULInAPromptIsNamedAndSkippedOnEveryEngine(_ engine: TestEngine) async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let path = try files.write("nul.jsonl", """
            {"id": "a", "prompt": "Before"}
            {"id": "b", "prompt": "Cut\\u0000here"}
            {"id": "c", "prompt": "After", "response": "x"}
            """)
        try await TestWorkspace.with(engine) { workspace in
            let report = try await DataImporter.run(kind: .seeds, files: [path], into: workspace.store)
            #expect(names(report.problems) == ["nul.jsonl:2"])
            #expect(report.problems.first?.message.contains("NUL") == true)
            #expect(try await workspace.store.seeds().map(\.id) == ["a", "c"])
            // The store itself refuses text it cannot keep whole, on both engines, rather than truncating it.
            await #expect(throws: WorkspaceError.self) {
                try await workspace.store.insertSeeds([SeedRecord(id: "d", prompt: "x\u{0}y", source: "t")])
            }
        }
    }

    /// An unterminated CSV quote silently merged every following row into one field.
    @Test func anUnterminatedCSVQuoteIsNamedAndTheFollowingRowsAreKept() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let path = try files.write("quote.csv", "id,prompt\r\nq1,first\r\nq2,\"never closed\r\nq3,third\r\nq4,fourth\r\n")
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(kind: .seeds, files: [path], into: workspace.store)
            #expect(names(report.problems) == ["quote.csv:3"])
            #expect(report.problems.first?.message.contains("unterminated") == true)
            #expect(try await workspace.store.seeds().map(\.id) == ["q1", "q3", "q4"])
        }
    }
}
