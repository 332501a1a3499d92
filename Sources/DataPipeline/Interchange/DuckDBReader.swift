import Foundation
import JSONValues

/// Reads tables of a DuckDB file through the real engine (the `duckdb` package in the tools' Python): the file
/// opened read-only, each wanted table written by the child as JSON lines (one array of the wanted columns per row,
/// in the table's order) into a scratch directory, so a table of any size passes through a file, never whole in
/// memory. The tables present that were not asked for are counted, so an import can name what it left out.
package struct DuckDBReader: Sendable {
    /// A table to read: its columns (a column missing in the file reads as null) and the column to order by.
    package struct TableRequest: Sendable, Codable, Hashable {
        package var name: String
        package var columns: [String]
        package var orderBy: String?
    }

    /// What the child found.
    package struct Summary: Sendable {
        package struct Table: Sendable {
            package var name: String
            package var rows: Int
            /// The asked-for columns the file's table does not have.
            package var missingColumns: [String]
            /// The rows, one JSON array per line.
            package var file: URL
        }

        package var tables: [String: Table]
        /// Tables in the file that were not asked for, with their row counts.
        package var others: [String: Int]
    }

    package var python: ToolsPython

    package init(python: ToolsPython) { self.python = python }

    /// Reads `tables` of the DuckDB file at `path` into `scratch` (an existing empty directory the caller removes).
    package func read(_ path: String, tables: [TableRequest], scratch: URL) async throws -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DataPipelineError(.input, "\(path): no such DuckDB file")
        }
        let request = String(decoding: try JSONEncoder().encode(tables), as: UTF8.self)
        let result = try await python.run(Self.program, [path, scratch.path, request])
        switch result.status {
        case 0: break
        case 4: throw DataPipelineError(.toolMissing, result.errorExcerpt())
        case 3: throw DataPipelineError(.input, "\(path): cannot be read as a DuckDB database: \(result.errorExcerpt())")
        default:
            throw DataPipelineError(.input, "\(path): reading it with DuckDB failed (exit \(result.status)): \(result.errorExcerpt())")
        }
        guard let summary = JSONValue.parse(result.outputText), let found = summary["tables"]?.objectValue,
              let others = summary["others"]?.objectValue
        else {
            throw DataPipelineError(.input, "\(path): the DuckDB reader's summary is not JSON: \(result.outputText.prefix(200))")
        }
        var tablesFound: [String: Summary.Table] = [:]
        for (name, info) in found {
            tablesFound[name] = Summary.Table(
                name: name, rows: info["rows"]?.intValue ?? 0,
                missingColumns: info["missing_columns"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                file: scratch.appendingPathComponent("\(name).jsonl"))
        }
        return Summary(tables: tablesFound, others: others.mapValues { $0.intValue ?? 0 })
    }

    /// The child: exit 3 when the file is not a DuckDB database, 4 when the `duckdb` package is missing.
    static let program = #"""
        import json, math, os, sys
        try:
            import duckdb
        except ImportError as error:
            sys.stderr.write(f"the duckdb package is not installed for {sys.executable} ({error}): run scripts/setup\n")
            sys.exit(4)
        path, scratch, wanted = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

        def quoted(name):
            return '"' + name.replace('"', '""') + '"'

        def plain(value):
            if value is None or isinstance(value, (str, bool, int)):
                return value
            if isinstance(value, float):
                return value if math.isfinite(value) else None
            return str(value)

        try:
            con = duckdb.connect(path, read_only=True)
            tables = [row[0] for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()]
        except Exception as error:
            sys.stderr.write(f"{type(error).__name__}: {error}\n")
            sys.exit(3)
        requested = {table["name"]: table for table in wanted}
        summary = {"tables": {}, "others": {}}
        for name in tables:
            if name not in requested:
                summary["others"][name] = con.execute(f"SELECT COUNT(*) FROM {quoted(name)}").fetchone()[0]
        for name, table in requested.items():
            if name not in tables:
                continue
            present = {row[0] for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
                [name]).fetchall()}
            columns = table["columns"]
            select = ", ".join(quoted(c) if c in present else f"NULL AS {quoted(c)}" for c in columns)
            order = table.get("orderBy")
            sql = f"SELECT {select} FROM {quoted(name)}"
            if order in present:
                sql += f" ORDER BY {quoted(order)}"
            cursor = con.execute(sql)
            rows = 0
            with open(os.path.join(scratch, name + ".jsonl"), "w", encoding="utf-8") as out:
                while True:
                    batch = cursor.fetchmany(1000)
                    if not batch:
                        break
                    for row in batch:
                        out.write(json.dumps([plain(v) for v in row], ensure_ascii=False, allow_nan=False) + "\n")
                    rows += len(batch)
            summary["tables"][name] = {"rows": rows, "missing_columns": [c for c in columns if c not in present]}
        print(json.dumps(summary))
        """#
}
