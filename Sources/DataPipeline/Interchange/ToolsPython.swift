import ChildProcess
import Foundation

/// The Python of the tools environment `scripts/setup` installs (`$SWIFT_ML_HOME/venv`, with `duckdb` and
/// `huggingface_hub`), run with a program given as text: the real DuckDB engine and Hub client stay in their own
/// process, reached through an argument array (never a shell).
package struct ToolsPython: Sendable {
    /// The interpreter's path.
    package var executable: String

    package init(executable: String) { self.executable = executable }

    /// `$SWIFT_ML_TOOLS_PYTHON`, else `HOME/venv/bin/python` (`HOME` being swift-ml's home, `$SWIFT_ML_HOME`).
    package static func `default`(home: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ToolsPython
    {
        if let explicit = environment["SWIFT_ML_TOOLS_PYTHON"], !explicit.isEmpty { return ToolsPython(executable: explicit) }
        return ToolsPython(executable: (home as NSString).appendingPathComponent("venv/bin/python"))
    }

    /// Runs `program` (Python source) with `arguments` as `sys.argv[1...]`; `environment` is added to ours.
    package func run(_ program: String, _ arguments: [String], environment: [String: String] = [:])
        async throws -> ChildProcessResult
    {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw DataPipelineError(
                .toolMissing, "the tools' Python '\(executable)' is missing: run scripts/setup (or set SWIFT_ML_TOOLS_PYTHON)")
        }
        var merged = ProcessInfo.processInfo.environment
        merged["PYTHONIOENCODING"] = "utf-8"
        merged["PYTHONDONTWRITEBYTECODE"] = "1"
        for (key, value) in environment { merged[key] = value }
        return try await ChildProcess.run([executable, "-c", program] + arguments, environment: merged)
    }
}
