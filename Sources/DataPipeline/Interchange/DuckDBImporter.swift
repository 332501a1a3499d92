import Evaluation
import Foundation
import JSONValues
import Workspace

/// What `ml data import --duckdb` did: per table, the usual import counts; notes for what was left out and why.
package struct DuckDBImportReport: Sendable {
    package struct Table: Sendable {
        package var name: String
        package var kind: ImportKind
        package var report = ImportReport()
        /// Rows left out on purpose, by reason (an expansion prompt with status `done`).
        package var leftOut: [String: Int] = [:]
    }

    package var tables: [Table] = []
    /// Tables missing from the file and tables in it that are not imported, each with why.
    package var notes: [String] = []

    package var problems: [RowProblem] { tables.flatMap(\.report.problems) }
    package var inserted: Int { tables.reduce(0) { $0 + $1.report.inserted } }
}

/// `ml data import --duckdb FILE`: the reference's `seeds`, `expansion_prompts` and `golden_set` tables (see
/// ``ReferenceTables``) read through the real DuckDB engine (``DuckDBReader``) and stored like JSON-lines rows:
/// idempotent (existing ids left alone, a stored id with other content a conflict), bad rows named by table and row
/// number, the rows streamed from the reader's files in batches.
package enum DuckDBImporter {
    /// Rows per store transaction.
    static let batchSize = 500

    package static func run(file: String, into store: any WorkspaceStore, python: ToolsPython) async throws
        -> DuckDBImportReport
    {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("ml-duckdb-import-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw DataPipelineError(.input, "cannot create a scratch directory: \(error.localizedDescription)", underlying: error)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let summary = try await DuckDBReader(python: python).read(file, tables: ReferenceTables.all, scratch: scratch)
        var report = DuckDBImportReport()
        for request in ReferenceTables.all {
            guard let table = summary.tables[request.name] else {
                report.notes.append("table \(request.name) is not in \(file): nothing imported from it")
                continue
            }
            if !table.missingColumns.isEmpty {
                report.notes.append("table \(request.name) has no column \(table.missingColumns.joined(separator: ", ")): read as NULL")
            }
            report.tables.append(try await importTable(request, file: table.file, named: file, into: store))
        }
        for (name, rows) in summary.others.sorted(by: { $0.key < $1.key }) {
            report.notes.append("table \(name) (\(rows) rows) not imported: \(ReferenceTables.reasonLeftOut(name))")
        }
        return report
    }

    static func importTable(_ request: DuckDBReader.TableRequest, file rows: URL, named file: String,
                            into store: any WorkspaceStore) async throws -> DuckDBImportReport.Table {
        let label = "\(file):\(request.name)"
        switch request.name {
        case ReferenceTables.seeds.name:
            return try await stream(request, rows, label: label, kind: .seeds,
                                    map: { ReferenceTables.seedRecord($0, file: file) },
                                    store: { try await store.importSeeds($0) })
        case ReferenceTables.expansionPrompts.name:
            return try await stream(request, rows, label: label, kind: .prompts,
                                    map: { ReferenceTables.promptRecord($0, file: file) },
                                    store: { try await store.importPrompts($0) })
        default:
            return try await stream(request, rows, label: label, kind: .golden,
                                    map: { ReferenceTables.goldenRecord($0, file: file) },
                                    store: { try await store.importGolden($0) })
        }
    }

    /// Reads the reader's file line by line, maps each row and stores the records `batchSize` at a time.
    static func stream<Record: Sendable>(
        _ request: DuckDBReader.TableRequest, _ rows: URL, label: String, kind: ImportKind,
        map: (ReferenceTables.Row) -> ReferenceTables.Mapped<Record>,
        store: ([Record]) async throws -> InsertOutcome
    ) async throws -> DuckDBImportReport.Table {
        var table = DuckDBImportReport.Table(name: request.name, kind: kind)
        var batch: [Record] = []
        var batchRows: [Int] = []  // the table row number of each record in the batch
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let outcome = try await store(batch)
            table.report.inserted += outcome.inserted
            table.report.alreadyPresent += outcome.alreadyPresent
            table.report.conflicts += outcome.conflicts.count
            for index in outcome.conflicts {
                table.report.problems.append(RowProblem(
                    file: label, line: batchRows[index],
                    message: "its prompt is already in the workspace with different content; row not imported"))
            }
            batch.removeAll(keepingCapacity: true)
            batchRows.removeAll(keepingCapacity: true)
        }
        let reader = try TextLineReader(path: rows.path)
        while let line = try reader.next() {
            table.report.read += 1
            guard case .text(let text) = line.content, let values = JSONValue.parse(text)?.arrayValue else {
                table.report.problems.append(RowProblem(file: label, line: line.number, message: "unreadable row from DuckDB"))
                continue
            }
            switch map(ReferenceTables.Row(columns: request.columns, values: values)) {
            case .record(let record):
                batch.append(record)
                batchRows.append(line.number)
                if batch.count >= batchSize { try await flush() }
            case .problem(let message):
                table.report.problems.append(RowProblem(file: label, line: line.number, message: "\(message); row not imported"))
            case .leftOut(let reason):
                table.leftOut[reason, default: 0] += 1
            }
        }
        try await flush()
        table.report.problems.sort { $0.line < $1.line }
        return table
    }
}
