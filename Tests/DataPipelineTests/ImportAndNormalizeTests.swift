import DataPipeline
import Foundation
import PostgresTestSupport
import Testing
import Workspace

@Suite struct ImportAndNormalizeTests {
    @Test func jsonLinesAndCSVImportNameBadRowsAndReimportIsIdempotent() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let jsonl = try files.write("seeds.jsonl", """
            {"prompt": "What is a river delta?", "region": "eu", "domain": "geo"}
            not json
            {"id": "own-id", "prompt": "Explain tides.", "domain": "geo", "voice": "teacher"}
            {"region": "us"}

            {"messages": [{"role": "user", "content": "From chat format"}, {"role": "assistant", "content": "ok"}]}
            """)
        let csv = try files.write("seeds.csv", """
            id,prompt,region,domain
            c1,"A prompt, with a comma",us,law
            c2,"A prompt ""quoted""
            over two lines",us,law
            c3,too,many,fields,here
            """)
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(kind: .seeds, files: [jsonl, csv], into: workspace.store)
            #expect(report.inserted == 5)
            #expect(report.problems.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" }
                    == ["seeds.jsonl:2", "seeds.jsonl:4", "seeds.csv:5"])
            let seeds = try await workspace.store.seeds()
            #expect(seeds.contains { $0.id == "own-id" && $0.voice == "teacher" && $0.source == "seeds.jsonl:3" })
            #expect(seeds.contains { $0.id == "c2" && $0.prompt == "A prompt \"quoted\"\nover two lines" })
            #expect(seeds.contains { $0.id == PromptIdentity.id(for: "what is a  river delta?") })
            let again = try await DataImporter.run(kind: .seeds, files: [jsonl, csv], into: workspace.store)
            #expect(again.inserted == 0 && again.alreadyPresent == 5)
        }
    }

    @Test func goldenRowsNeedAResponse() async throws {
        let files = try DataFiles()
        defer { files.remove() }
        let path = try files.write("golden.jsonl", """
            {"prompt": "Q1", "response": "A1"}
            {"prompt": "Q2"}
            """)
        try await TestWorkspace.with(.sqlite) { workspace in
            let report = try await DataImporter.run(kind: .golden, files: [path], into: workspace.store)
            #expect(report.inserted == 1)
            #expect(report.problems.map(\.line) == [2])
            #expect(report.problems.first?.message.contains("response") == true)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func normalizeDeduplicatesSkipsKnownAndInterleavesDomains(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let store = workspace.store
            try await store.insertSeeds([
                SeedRecord(id: "a1", prompt: "Law question number one", domain: "law", source: "t"),
                SeedRecord(id: "a2", prompt: "law   QUESTION number one", domain: "law", source: "t"),
                SeedRecord(id: "a3", prompt: "Law question number two", domain: "law", source: "t"),
                SeedRecord(id: "b1", prompt: "Health question one", domain: "health", source: "t"),
                SeedRecord(id: "c1", prompt: "Short", domain: "law", source: "t"),
                SeedRecord(id: "d1", prompt: "Already golden prompt", domain: "health", source: "t"),
            ])
            try await store.insertGolden([
                GoldenRecord(id: "g1", prompt: "Already golden prompt", response: "x", domain: "health", source: "t"),
            ])
            let report = try await Normalizer.run(store: store, minLength: 10)
            #expect(report.queued == 3 && report.duplicates == 1 && report.tooShort == 1 && report.inGolden == 1)
            // law has no golden rows, health has one: law's first prompt, then law's second and health's first.
            let order = try await store.claim(worker: "w", limit: 10, lease: .seconds(60)).map(\.prompt)
            #expect(order.first == "Law question number one")
            #expect(Set(order) == ["Law question number one", "Law question number two", "Health question one"])
            let again = try await Normalizer.run(store: store, minLength: 10)
            #expect(again.queued == 0 && again.alreadyQueuedOrAnswered == 3)
        }
    }
}
