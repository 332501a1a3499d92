import ChildProcess
import Foundation

/// How a managed server is supervised, whatever it serves: its executable, where it listens, how long its start
/// and stop may take, what is kept of its output, and what happens when it dies. `LlamaServerSettings` and
/// `MLXServerSettings` embed it (their fields of the same names read and write it: ``ManagedServerSupervised``), and
/// so does ``ManagedServerCommand``.
public struct ManagedServerOptions: Sendable {
    /// The server's executable: a path, or a name looked up on `PATH`.
    public var executable: String
    /// Interface to bind; loopback unless told otherwise.
    public var host: String
    /// Fixed port, or `nil` for a free one.
    public var port: Int?
    /// How long to wait for the health path to report ready.
    public var healthDeadline: Duration
    /// How long SIGTERM may take before SIGKILL.
    public var stopGracePeriod: Duration
    /// Lines of the server's output kept in memory.
    public var logCapacity: Int
    /// Also append the server's output to this file.
    public var logFile: String?
    /// Start a fresh server for the next request after the server died.
    public var restartAfterCrash: Bool
    /// Told, in a sentence, when the server dies and when a fresh one has been started (`ml serve` logs it).
    public var onEvent: (@Sendable (String) -> Void)?

    public init(
        executable: String,
        host: String = "127.0.0.1",
        port: Int? = nil,
        healthDeadline: Duration = .seconds(60),
        stopGracePeriod: Duration = .seconds(5),
        logCapacity: Int = 500,
        logFile: String? = nil,
        restartAfterCrash: Bool = true,
        onEvent: (@Sendable (String) -> Void)? = nil
    ) {
        self.executable = executable
        self.host = host
        self.port = port
        self.healthDeadline = healthDeadline
        self.stopGracePeriod = stopGracePeriod
        self.logCapacity = logCapacity
        self.logFile = logFile
        self.restartAfterCrash = restartAfterCrash
        self.onEvent = onEvent
    }

    /// `executable` as an absolute path: names without a `/` are looked up on `PATH`; `nil` when not executable.
    public func resolvedExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        try? ExecutableLookup.resolve(executable, environment: environment)
    }
}
