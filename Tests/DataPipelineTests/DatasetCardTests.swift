import DataPipeline
import Foundation
import Testing
import Workspace

@Suite struct DatasetCardTests {
    func card(license: String = "apache-2.0", rules: [String: Int] = [:]) throws -> DatasetCard {
        DatasetCard(
            license: license,
            splits: [DatasetCard.Split(name: "train", file: "train.parquet", rows: 1_200, bytes: 300),
                     DatasetCard.Split(name: "valid", file: "valid.parquet", rows: 150, bytes: 40)],
            workspace: "a SQLite workspace (`ws.sqlite`)", seed: 9, ratios: try SplitRatios(parsing: "0.9,0.1,0"),
            shuffle: "sorted, then shuffled", sources: ["gold.jsonl": 1_000, "answer:smol": 350], approvalRules: rules,
            toolVersion: "9.9.9", createdAt: "2026-12-08T00:00:00Z")
    }

    @Test func headerNamesSplitsFilesFeaturesAndLicense() throws {
        let text = try card().text
        let header = text.components(separatedBy: "---\n")[1]
        #expect(header.contains("license: apache-2.0\n"))
        #expect(header.contains("- split: validation\n    path: data/valid.parquet\n"))
        #expect(header.contains("- split: train\n    path: data/train.parquet\n"))
        #expect(!header.contains("split: test"))
        for column in ["prompt", "response", "system", "messages"] {
            #expect(header.contains("  - name: \(column)\n    dtype: string\n"))
        }
        #expect(header.contains("num_examples: 1200"))
        #expect(header.contains("- 1K<n<10K"))
        #expect(header.contains("download_size: 340"))
    }

    @Test func bodySaysHowItWasMade() throws {
        let plain = try card().text
        #expect(plain.contains("swift-ml 9.9.9"))
        #expect(plain.contains("seed 9"))
        #expect(plain.contains("1350 rows"))
        #expect(plain.contains("`answer:smol`: 350"))
        #expect(plain.contains("every row was imported"))
        let approved = try card(rules: ["min_lek=0.5": 350]).text
        #expect(approved.contains("`min_lek=0.5`: 350 rows"))
    }

    @Test func licenseMustBeAHubIdentifier() {
        for good in ["other", "apache-2.0", "cc-by-sa-4.0", "gpl-3.0+"] {
            #expect(throws: Never.self) { try DatasetCard.validateLicense(good) }
        }
        for bad in ["", "MIT License", "mit\nlicense: x", "-x", "a: b"] {
            #expect(throws: DataPipelineError.self) { try DatasetCard.validateLicense(bad) }
        }
    }

    @Test func sizeCategoryBounds() {
        #expect(DatasetCard.sizeCategory(999) == "n<1K")
        #expect(DatasetCard.sizeCategory(1_000) == "1K<n<10K")
        #expect(DatasetCard.sizeCategory(2_000_000) == "1M<n<10M")
    }

    @Test func parquetRowIsTheChatOfAGoldenRecord() throws {
        let row = try ParquetRow(golden: GoldenRecord(id: "a", prompt: "Say \"hi\" / <b>", response: "hi\nthere", source: "s"))
        #expect(row.prompt == "Say \"hi\" / <b>" && row.response == "hi\nthere" && row.system == "")
        #expect(row.messages.hasPrefix(#"[{"role":"user","content":"#))
        let decoded = try JSONSerialization.jsonObject(with: Data(row.messages.utf8)) as? [[String: String]]
        #expect(decoded == [["role": "user", "content": "Say \"hi\" / <b>"], ["role": "assistant", "content": "hi\nthere"]])
    }
}
