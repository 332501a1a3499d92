import Foundation
import Inference
import ManagedServer

/// A running `mlx_lm.server` on a loopback port: a ``ManagedServerProcess`` (free port with retry on a lost port
/// race, health wait, crash detection with the log tail, SIGTERM → SIGKILL teardown, no orphans) running our
/// launcher (`Resources/mlx_launcher.py`) with the MLX interpreter. The launcher applies the memory limits, logs
/// what MLX reports back (``appliedLimits``), then runs the server in the same process.
///
/// A healthy answer counts as ours only after its "Starting httpd at HOST on port PORT" line. mlx_lm.server loads the
/// model in its generation thread while it already answers `/health` with 200, so it is ready only once the
/// launcher's ``loadedMarker`` line is out; when the load fails the thread dies, `/health` answers 503
/// `{"status": "unavailable"}` and the output has "generation thread died" and the Python traceback: the start
/// fails at once with that tail (``startSigns``).
public final class MLXProcess: Sendable {
    /// The model directory the server loaded.
    public let model: String
    public let settings: MLXServerSettings
    /// The supervised process.
    public let server: ManagedServerProcess

    public var port: Int { server.port }
    public var pid: Int32 { server.pid }
    public var baseURL: String { server.baseURL }
    public var isRunning: Bool { server.isRunning }
    public func recentLogs(_ count: Int? = nil) -> [String] { server.recentLogs(count) }
    public func stop() async { await server.stop() }

    /// The marker of the launcher's report line.
    static let limitsMarker = "swift-ml-mlx-launcher: limits "
    /// The launcher's line once the server's generation thread has loaded the model.
    static let loadedMarker = "swift-ml-mlx-launcher: model loaded"

    /// How mlx_lm.server says its start failed, and that it loaded the model.
    static let startSigns = ServerStartSigns(
        failedHealthBodies: [#""status": "unavailable""#],
        failedOutput: ["generation thread died"],
        loadedOutput: loadedMarker
    )

    /// The limits MLX reported after the launcher set them (`cache`, `memory`, `wired`, `mlx`, `device`), read from
    /// the launcher's output; values are byte counts, `unset` or `unavailable`.
    public var appliedLimits: [String: String] {
        guard let line = recentLogs().first(where: { $0.hasPrefix(Self.limitsMarker) }) else { return [:] }
        return Self.parseLimits(line)
    }

    static func parseLimits(_ line: String) -> [String: String] {
        var limits: [String: String] = [:]
        for field in line.dropFirst(limitsMarker.count).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { limits[String(parts[0])] = String(parts[1]) }
        }
        return limits
    }

    private init(model: String, settings: MLXServerSettings, server: ManagedServerProcess) {
        self.model = model
        self.settings = settings
        self.server = server
    }

    /// The launcher script shipped with this module.
    public static var launcherPath: String? {
        Bundle.module.url(forResource: "mlx_launcher", withExtension: "py", subdirectory: "Resources")?.path
    }

    /// Checks that `directory` is a model in MLX / Hugging Face layout: `config.json`, weights in `*.safetensors`
    /// and a tokenizer (`tokenizer.json` or `tokenizer.model`).
    public static func checkModelDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw InferenceError(.modelNotFound, "MLX model directory '\(directory)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw InferenceError(
                .invalidModel,
                "'\(directory)' is a file; the MLX backend loads a directory with config.json, *.safetensors and tokenizer.json"
            )
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var missing: [String] = []
        if !files.contains("config.json") { missing.append("config.json") }
        if !files.contains(where: { $0.hasSuffix(".safetensors") && !$0.contains("adapters") }) {
            missing.append("*.safetensors")
        }
        if !files.contains("tokenizer.json") && !files.contains("tokenizer.model") { missing.append("tokenizer.json") }
        guard missing.isEmpty else {
            throw InferenceError(
                .invalidModel,
                "MLX model directory '\(directory)' lacks \(missing.joined(separator: ", "))"
            )
        }
    }

    /// Starts a server for the model directory `model` and waits until it is ready.
    public static func start(model: String, settings: MLXServerSettings = MLXServerSettings()) async throws -> MLXProcess {
        try checkModelDirectory(model)
        if let problem = MLXAvailability.problem(python: settings.python) {
            throw InferenceError(.backendNotAvailable, problem)
        }
        guard let launcher = launcherPath else {
            throw InferenceError(.backendNotAvailable, "the MLX launcher script is missing from the MLXServer bundle")
        }
        // mlx_lm.server's /v1/models scans the Hugging Face cache and answers an empty body when it is missing.
        try FileManager.default.createDirectory(
            atPath: (settings.huggingFaceHome as NSString).appendingPathComponent("hub"),
            withIntermediateDirectories: true
        )
        let command = ManagedServerCommand(
            name: "mlx_lm.server",
            supervision: settings.supervision,
            arguments: { port in settings.arguments(launcher: launcher, model: model, port: port) },
            environment: settings.environment,
            portInUseMarkers: ["Address already in use"],
            announcesPort: { line, port in line.contains("Starting httpd at") && line.contains("on port \(port)...") },
            startSigns: startSigns
        )
        let server = try await ManagedServerProcess.start(command)
        return MLXProcess(model: model, settings: settings, server: server)
    }
}
