import Foundation

/// Writes Parquet files through the real DuckDB engine (the tools' Python): each input is JSON lines of
/// ``ParquetRow``s, read by DuckDB with the four columns typed `VARCHAR` and written Snappy-compressed in the same
/// order (DuckDB keeps insertion order).
package struct ParquetWriter: Sendable {
    package var python: ToolsPython

    package init(python: ToolsPython) { self.python = python }

    /// Converts each `(input, output)` pair; a failure names the file.
    package func write(_ files: [(input: URL, output: URL)]) async throws {
        guard !files.isEmpty else { return }
        var arguments: [String] = []
        for file in files { arguments += [file.input.path, file.output.path] }
        let result = try await python.run(Self.program, arguments)
        switch result.status {
        case 0: return
        case 4: throw DataPipelineError(.toolMissing, result.errorExcerpt())
        default: throw DataPipelineError(.input, "writing Parquet with DuckDB failed (exit \(result.status)): \(result.errorExcerpt())")
        }
    }

    static let program = #"""
        import sys
        try:
            import duckdb
        except ImportError as error:
            sys.stderr.write(f"the duckdb package is not installed for {sys.executable} ({error}): run scripts/setup\n")
            sys.exit(4)
        con = duckdb.connect()
        columns = {"prompt": "VARCHAR", "response": "VARCHAR", "system": "VARCHAR", "messages": "VARCHAR"}
        pairs = sys.argv[1:]
        for source, target in zip(pairs[0::2], pairs[1::2]):
            try:
                rows = con.read_json(source, columns=columns, format="newline_delimited", maximum_object_size=1 << 30)
                rows.select("prompt, response, system, messages").write_parquet(target, compression="snappy")
            except Exception as error:
                sys.stderr.write(f"{target}: {type(error).__name__}: {error}\n")
                sys.exit(1)
        """#
}
