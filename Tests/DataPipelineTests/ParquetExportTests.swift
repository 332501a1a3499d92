import DataPipeline
import Foundation
import InferenceTesting
import PostgresTestSupport
import Testing
import Workspace

/// `ml data export --format parquet` on both engines with the real DuckDB engine: the Parquet rows read back by
/// DuckDB are the JSON-lines export's, in its order (scripts/tests/interchange.sh checks compression, the card's YAML
/// and the upload).
@Suite struct ParquetExportTests {
    static var python: ToolsPython { ToolsPython.default(home: RealComponents.paths.home) }

    @Test(arguments: TestEngine.allCases)
    func parquetRowsAreTheJSONLinesRowsInTheSameOrder(_ engine: TestEngine) async throws {
        let python = Self.python
        try RealComponents.requireExecutable(python.executable, "the tools' Python")
        let files = try DataFiles()
        defer { files.remove() }
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertGolden((0..<9).map {
                GoldenRecord(id: "g\($0)", prompt: "Prompt \($0) «\($0)»", response: "Answer\n\($0)", source: "gold.jsonl:\($0)")
            })
            let ratios = try SplitRatios(parsing: "0.6,0.2,0.2")
            let jsonl = files.directory.appendingPathComponent("jsonl")
            let parquet = files.directory.appendingPathComponent("parquet")
            _ = try await DataExporter.run(store: workspace.store, directory: jsonl.path, seed: 5, split: ratios)
            let manifest = try await DataExporter.run(
                store: workspace.store, directory: parquet.path, seed: 5, split: ratios,
                format: .parquet(ParquetExportSettings(python: python, license: "other", toolVersion: "test")))
            #expect(manifest.files.map(\.name) == ["train.parquet", "valid.parquet", "test.parquet", "README.md"])
            for split in ["train", "valid", "test"] {
                let expected = try String(contentsOf: jsonl.appendingPathComponent("\(split).jsonl"), encoding: .utf8)
                    .split(separator: "\n").map { line -> [String] in
                        let chat = try #require(
                            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [[String: String]]])
                        let messages = try #require(chat["messages"])
                        return [messages[0]["content"] ?? "", messages[1]["content"] ?? ""]
                    }
                let result = try await python.run("""
                    import duckdb, json, sys
                    rows = duckdb.read_parquet(sys.argv[1]).fetchall()
                    print(json.dumps([[p, r] for (p, r, s, m) in rows if s == "" and json.loads(m)[0]["content"] == p]))
                    """, [parquet.appendingPathComponent("\(split).parquet").path])
                #expect(result.status == 0, "\(result.errorExcerpt())")
                let read = try JSONSerialization.jsonObject(with: result.standardOutput) as? [[String]]
                #expect(read == expected, "\(split)")
                #expect(manifest.files.first { $0.name == "\(split).parquet" }?.rows == expected.count)
            }
            let card = try String(contentsOf: parquet.appendingPathComponent("README.md"), encoding: .utf8)
            #expect(card.contains("every row was imported"))
        }
    }
}
