import ChildProcess
import Foundation
import Inference
import LocalModels

/// The real components `scripts/setup` installs (llama-server, the default model, Python environments), for tests
/// that run them, and the checks on the processes they leave. A missing component fails the test with what is
/// missing and where (it is never skipped): run `scripts/setup`.
public enum RealComponents {
    public static let paths = MLPaths()

    /// The llama-server executable and the default GGUF model.
    public static func requireServerAndModel() throws -> (server: String, model: String) {
        try requireExecutable(paths.llamaServer, "llama-server")
        guard FileManager.default.isReadableFile(atPath: paths.defaultModel) else {
            throw InferenceError(.modelNotFound, "default model missing at \(paths.defaultModel): run scripts/setup")
        }
        return (paths.llamaServer, paths.defaultModel)
    }

    /// Fails naming `what` when `path` is not an executable file.
    public static func requireExecutable(_ path: String, _ what: String) throws {
        guard ExecutableLookup.isExecutableFile(path) else {
            throw InferenceError(.backendNotAvailable, "\(what) missing at \(path): run scripts/setup")
        }
    }

    /// A fresh scratch directory (`swift-ml-PREFIX…` in the temporary directory); the caller removes it.
    public static func temporaryDirectory(prefix: String = "") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-\(prefix)\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a helper program (a fixture script, a Python check) to its end: its exit status and its output, stdout
    /// and stderr together. Async, so a test waiting for a slow fixture holds none of the few threads the other
    /// tests run on (on two cores, a blocked one halves them, and timing-bound tests elsewhere fail).
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run([executable] + arguments, mergeErrorIntoOutput: true)
        return (result.status, result.outputText)
    }

    /// Whether a process with this pid exists (and is not a zombie).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return !status.contains("State:\tZ")
    }

    /// Whether the process is gone within `within`.
    public static func waitUntilDead(_ pid: Int32, within: Duration) async -> Bool {
        let end = ContinuousClock.now + within
        while ContinuousClock.now < end {
            if !isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isAlive(pid)
    }
}
