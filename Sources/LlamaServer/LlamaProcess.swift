import Foundation
import Inference
import ManagedServer

/// A running `llama-server` child process on a loopback port: a ``ManagedServerProcess`` (free port with retry on
/// a lost port race, health wait on `GET /health`, crash detection with the log tail, SIGTERM → SIGKILL teardown,
/// no orphans — see there) with llama-server's command line and checks.
///
/// Before anything is spawned the model file and the executable are checked. llama-server binds its port before
/// it loads the model and exits at once when it cannot ("couldn't bind"), so after a second alive a healthy answer
/// on the port is trusted to be ours; earlier only its "listening on …:PORT" line counts.
public final class LlamaProcess: Sendable {
    /// The model file the server loaded.
    public let model: String
    public let settings: LlamaServerSettings
    /// The supervised process.
    public let server: ManagedServerProcess

    /// Attempts at a free port before giving up.
    static let portAttempts = ManagedServerProcess.portAttempts

    public var port: Int { server.port }
    public var pid: Int32 { server.pid }
    /// `http://HOST:PORT`, loopback when the server listens on every interface.
    public var baseURL: String { server.baseURL }

    /// Where the server is in its lifecycle.
    public var phase: ManagedProcessState.Phase { server.phase }

    /// The server's most recent output lines (stdout and stderr, interleaved as written), oldest first.
    public func recentLogs(_ count: Int? = nil) -> [String] { server.recentLogs(count) }

    /// The exit status once the process has ended (128 + signal when killed by a signal).
    public var exitStatus: Int32? { server.exitStatus }

    /// Whether the process is still running.
    public var isRunning: Bool { server.isRunning }

    /// Waits until the process has ended and returns its exit status; `nil` when the waiting task is cancelled.
    public func waitForExit() async -> Int32? { await server.waitForExit() }

    /// Whether the process ends within `duration` (or has ended already); `false` when the task is cancelled.
    public func hasExited(within duration: Duration) async -> Bool { await server.hasExited(within: duration) }

    /// Stops the server: SIGTERM, then SIGKILL after the grace period. Returns when the process has ended.
    public func stop() async { await server.stop() }

    private init(model: String, settings: LlamaServerSettings, server: ManagedServerProcess) {
        self.model = model
        self.settings = settings
        self.server = server
    }

    /// Starts a server for `model` and waits until it is ready.
    public static func start(
        model: String,
        settings: LlamaServerSettings = LlamaServerSettings()
    ) async throws -> LlamaProcess {
        try await start(model: model, settings: settings) { try PortProbe.freePort(host: settings.host) }
    }

    /// ``start(model:settings:)`` with the free-port choice injectable (tests lose the port race on purpose).
    static func start(
        model: String,
        settings: LlamaServerSettings,
        choosePort: () throws -> Int
    ) async throws -> LlamaProcess {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory) else {
            throw InferenceError(.modelNotFound, "model file '\(model)' does not exist")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: model) else {
            throw InferenceError(.modelNotFound, "model file '\(model)' is not a readable file")
        }
        guard let executable = settings.resolvedExecutable() else {
            throw InferenceError(
                .backendNotAvailable,
                "llama-server not found at '\(settings.executable)': run scripts/setup or set SWIFT_ML_LLAMA_SERVER"
            )
        }
        var supervision = settings.supervision
        supervision.executable = executable
        let command = ManagedServerCommand(
            name: "llama-server",
            supervision: supervision,
            arguments: { port in settings.arguments(model: model, port: port) },
            portInUseMarkers: ["couldn't bind", "Address already in use"],
            announcesPort: { line, port in line.contains("listening on") && line.hasSuffix(":\(port)") },
            bindsWithin: .seconds(1)
        )
        let server = try await ManagedServerProcess.start(command, choosePort: choosePort)
        return LlamaProcess(model: model, settings: settings, server: server)
    }
}
