import Foundation
import Workspace

/// What an import reads into.
package enum ImportKind: String, Sendable, CaseIterable {
    case seeds, prompts, golden
}

/// The outcome of a stage over input rows: how many rows were read and stored, and each bad row by file and line.
package struct ImportReport: Sendable {
    package var read = 0
    package var inserted = 0
    package var alreadyPresent = 0
    /// Rows whose id is already stored with other content (each is also a problem); nothing was changed.
    package var conflicts = 0
    package var problems: [RowProblem] = []
}

/// `ml data import`: seeds, prompts or golden rows from JSON lines or CSV. A row is
/// `{"id"?, "prompt", "region"?, "domain"?, "voice"?}` (golden rows add `"response"`); `instruction` or
/// `question` stand for `prompt`, `answer` or `output` for `response`. Rows without an id get
/// ``PromptIdentity`` ids, so re-importing is idempotent (existing ids are left alone; an existing id with other
/// content is a conflict, reported by file and line). A file that cannot be read is a problem too (line 0): the
/// other files are still imported.
package enum DataImporter {
    package static func run(kind: ImportKind, files: [String], into store: any WorkspaceStore) async throws -> ImportReport {
        var report = ImportReport()
        for file in files {
            let rows: [DataRow]
            let problems: [RowProblem]
            do {
                (rows, problems) = try DataRowReader.read(file)
            } catch {
                report.problems.append(RowProblem(file: file, line: 0, message: "\(error)"))
                continue
            }
            let firstProblem = report.problems.count
            report.problems += problems
            report.read += rows.count + problems.count
            var seeds: [SeedRecord] = []
            var prompts: [PromptRecord] = []
            var golden: [GoldenRecord] = []
            var storedLines: [Int] = []  // the input line of each record handed to the store, in order
            for row in rows {
                let field = { (names: [String]) in
                    names.lazy.compactMap { row.fields[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) }
                        .first { !$0.isEmpty }
                }
                guard let prompt = field(["prompt", "instruction", "question"]) else {
                    report.problems.append(RowProblem(file: file, line: row.line, message: "missing field \"prompt\""))
                    continue
                }
                if kind == .golden, field(["response", "answer", "output"]) == nil {
                    report.problems.append(RowProblem(file: file, line: row.line, message: "missing field \"response\""))
                    continue
                }
                storedLines.append(row.line)
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
                    let response = field(["response", "answer", "output"]) ?? ""
                    golden.append(GoldenRecord(id: id, prompt: prompt, response: response, region: region,
                                               domain: domain, voice: voice, source: row.source))
                }
            }
            let outcome: InsertOutcome
            let ids: [String]
            switch kind {
            case .seeds:
                outcome = try await store.importSeeds(seeds)
                ids = seeds.map(\.id)
            case .prompts:
                outcome = try await store.importPrompts(prompts)
                ids = prompts.map(\.id)
            case .golden:
                outcome = try await store.importGolden(golden)
                ids = golden.map(\.id)
            }
            report.inserted += outcome.inserted
            report.alreadyPresent += outcome.alreadyPresent
            report.conflicts += outcome.conflicts.count
            for index in outcome.conflicts {
                report.problems.append(RowProblem(
                    file: file, line: storedLines[index],
                    message: "id '\(ids[index])' is already in the workspace with different content; row not imported"))
            }
            report.problems[firstProblem...].sort { $0.line < $1.line }
        }
        return report
    }
}
