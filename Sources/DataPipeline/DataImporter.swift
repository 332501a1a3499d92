import Foundation
import Workspace

/// What an import reads into.
public enum ImportKind: String, Sendable, CaseIterable {
    case seeds, prompts, golden
}

/// The outcome of a stage over input rows: how many rows were read and stored, and each bad row by file and line.
public struct ImportReport: Sendable {
    public var read = 0
    public var inserted = 0
    public var alreadyPresent = 0
    public var problems: [RowProblem] = []
}

/// `ml data import`: seeds, prompts or golden rows from JSON lines or CSV. A row is
/// `{"id"?, "prompt", "region"?, "domain"?, "voice"?}` (golden rows add `"response"`); `instruction` or
/// `question` stand for `prompt`, `answer` or `output` for `response`. Rows without an id get
/// ``PromptIdentity`` ids, so re-importing is idempotent (existing ids are left alone).
public enum DataImporter {
    public static func run(kind: ImportKind, files: [String], into store: any WorkspaceStore) async throws -> ImportReport {
        var report = ImportReport()
        for file in files {
            let (rows, problems) = try DataRowReader.read(file)
            report.problems += problems
            report.read += rows.count + problems.count
            var seeds: [SeedRecord] = []
            var prompts: [PromptRecord] = []
            var golden: [GoldenRecord] = []
            for row in rows {
                let field = { (names: [String]) in
                    names.lazy.compactMap { row.fields[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) }
                        .first { !$0.isEmpty }
                }
                guard let prompt = field(["prompt", "instruction", "question"]) else {
                    report.problems.append(RowProblem(file: file, line: row.line, message: "missing field \"prompt\""))
                    continue
                }
                let id = field(["id"]) ?? PromptIdentity.id(for: prompt)
                let (region, domain, voice) = (field(["region"]), field(["domain"]), field(["voice"]))
                switch kind {
                case .seeds:
                    seeds.append(SeedRecord(id: id, prompt: prompt, region: region, domain: domain, voice: voice,
                                            source: row.source))
                case .prompts:
                    prompts.append(PromptRecord(id: id, prompt: prompt, region: region, domain: domain, voice: voice,
                                                priority: field(["priority"]).flatMap { Int($0) } ?? 0,
                                                source: row.source))
                case .golden:
                    guard let response = field(["response", "answer", "output"]) else {
                        report.problems.append(RowProblem(file: file, line: row.line, message: "missing field \"response\""))
                        continue
                    }
                    golden.append(GoldenRecord(id: id, prompt: prompt, response: response, region: region,
                                               domain: domain, voice: voice, source: row.source))
                }
            }
            let stored: Int
            switch kind {
            case .seeds: stored = try await store.insertSeeds(seeds)
            case .prompts: stored = try await store.insertPrompts(prompts)
            case .golden: stored = try await store.insertGolden(golden)
            }
            report.inserted += stored
            report.alreadyPresent += seeds.count + prompts.count + golden.count - stored
        }
        return report
    }
}
