import DataPipeline
import Foundation
import PostgresTestSupport
import Testing
import Workspace

@Suite struct ExportTests {
    @Test func splitCountsKeepEverySplitNonEmptyWhenRowsAllow() throws {
        let ratios = try SplitRatios(parsing: "0.8,0.1,0.1")
        #expect(ratios.counts(100) == (80, 10, 10))
        #expect(ratios.counts(5) == (3, 1, 1))
        #expect(ratios.counts(2) == (1, 1, 0))
        #expect(throws: DataPipelineError.self) { try SplitRatios(parsing: "0.8,0.3,0.1") }
        #expect(throws: DataPipelineError.self) { try SplitRatios(parsing: "1,0") }
    }

    @Test func seededShuffleIsReproducibleAndSeedDependent() {
        let items = Array(0..<50)
        let a = SeededShuffle.shuffled(items, seed: 7)
        #expect(a == SeededShuffle.shuffled(items, seed: 7))
        #expect(a != SeededShuffle.shuffled(items, seed: 8))
        #expect(a.sorted() == items)
        // SplitMix64's published first output for seed 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test(arguments: TestEngine.allCases)
    func exportWritesChatSplitsAndAManifestThatMatchesThem(_ engine: TestEngine) async throws {
        let files = try DataFiles()
        defer { files.remove() }
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertGolden((0..<20).map {
                GoldenRecord(id: String(format: "g%02d", $0), prompt: "Prompt \($0)", response: "Answer \($0)",
                             source: $0 < 15 ? "golden.jsonl:\($0 + 1)" : "answer:SmolLM2")
            })
            let first = files.directory.appendingPathComponent("one")
            let manifest = try await DataExporter.run(
                store: workspace.store, directory: first.path, seed: 3, split: try SplitRatios(parsing: "0.7,0.15,0.15"))
            #expect(manifest.counts == ["train": 14, "valid": 3, "test": 3, "total": 20])
            #expect(manifest.sources == ["golden.jsonl": 15, "answer:SmolLM2": 5])
            var seen: [String] = []
            for file in manifest.files {
                let data = try Data(contentsOf: first.appendingPathComponent(file.name))
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
                #expect(lines.count == file.rows)
                for line in lines {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    let messages = object?["messages"] as? [[String: String]]
                    #expect(messages?.map { $0["role"] ?? "" } == ["user", "assistant"])
                    seen.append(messages?.first?["content"] ?? "")
                }
            }
            #expect(Set(seen).count == 20)
            // The manifest's hashes are the files' hashes, and the same seed gives the same files.
            let second = files.directory.appendingPathComponent("two")
            let again = try await DataExporter.run(
                store: workspace.store, directory: second.path, seed: 3, split: try SplitRatios(parsing: "0.7,0.15,0.15"))
            #expect(again.files.map(\.sha256) == manifest.files.map(\.sha256))
            let train = try Data(contentsOf: second.appendingPathComponent("train.jsonl"))
            #expect(try Data(contentsOf: first.appendingPathComponent("train.jsonl")) == train)
            #expect(try await workspace.store.status().exports == 2)
        }
    }
}
