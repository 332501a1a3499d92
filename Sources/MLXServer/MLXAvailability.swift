import ChildProcess
import Foundation
import Inference
import Locking

/// Whether Python MLX can run here: the interpreter exists and finds the `mlx` and `mlx_lm` packages.
public enum MLXAvailability {
    private static let cache = Locked([String: String?]())

    /// `nil` when `python` has MLX and mlx-lm; else why not, in words a user can act on. Cached per interpreter.
    public static func problem(python: String) -> String? {
        if let known = cache.withLock({ $0[python] }) { return known }
        let problem = check(python: python)
        cache.withLock { $0[python] = problem }
        return problem
    }

    private static func check(python: String) -> String? {
        guard ExecutableLookup.isExecutableFile(python) else {
            return "Python MLX is not installed: no interpreter at \(python) (run scripts/setup, or set SWIFT_ML_MLX_PYTHON)"
        }
        // find_spec looks the packages up without importing MLX (which takes seconds).
        let script = """
            import importlib.util, sys
            missing = [m for m in ("mlx.core", "mlx_lm") if importlib.util.find_spec(m.split(".")[0]) is None]
            print(" ".join(missing)); sys.exit(3 if missing else 0)
            """
        let result: ChildProcessResult
        do {
            result = try ChildProcess.runBlocking([python, "-c", script], mergeErrorIntoOutput: true)
        } catch {
            return "Python MLX is not usable: cannot run \(python): \(error)"
        }
        guard result.status == 0 else {
            let detail = result.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
            return "Python MLX is not installed in \(python) (missing: \(detail.isEmpty ? "?" : detail)); run scripts/setup"
        }
        return nil
    }
}
