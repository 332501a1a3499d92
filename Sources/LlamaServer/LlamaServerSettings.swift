import ChildProcess
import Foundation
import Inference
import ManagedServer

/// How to run a managed llama-server. All fields have defaults.
public struct LlamaServerSettings: Sendable {
    /// The llama-server executable: a path, or a name looked up on `PATH`.
    /// Default: ``defaultExecutable(environment:)``.
    public var executable: String
    /// Interface to bind; loopback unless told otherwise.
    public var host: String
    /// Fixed port, or `nil` for a free one.
    public var port: Int?
    public var contextLength: Int?
    public var threads: Int?
    /// Parallel slots: generations served at once.
    public var parallelSlots: Int
    public var gpuLayers: Int?
    public var loraAdapters: [String]
    public var extraArguments: [String]
    /// How long to wait for `/health` to report ready.
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
        executable: String = LlamaServerSettings.defaultExecutable(),
        host: String = "127.0.0.1",
        port: Int? = nil,
        contextLength: Int? = nil,
        threads: Int? = nil,
        parallelSlots: Int = 2,
        gpuLayers: Int? = nil,
        loraAdapters: [String] = [],
        extraArguments: [String] = [],
        healthDeadline: Duration = .seconds(60),
        stopGracePeriod: Duration = .seconds(5),
        logCapacity: Int = 500,
        logFile: String? = nil,
        restartAfterCrash: Bool = true
    ) {
        self.executable = executable
        self.host = host
        self.port = port
        self.contextLength = contextLength
        self.threads = threads
        self.parallelSlots = max(1, parallelSlots)
        self.gpuLayers = gpuLayers
        self.loraAdapters = loraAdapters
        self.extraArguments = extraArguments
        self.healthDeadline = healthDeadline
        self.stopGracePeriod = stopGracePeriod
        self.logCapacity = logCapacity
        self.logFile = logFile
        self.restartAfterCrash = restartAfterCrash
    }

    /// `$SWIFT_ML_LLAMA_SERVER`; else `$SWIFT_ML_HOME/bin/llama-server` when it exists; else `llama-server` found on
    /// `PATH`; else the `$SWIFT_ML_HOME` path (so a "not found" error names where the setup installs it).
    public static func defaultExecutable(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let paths = MLPaths(environment: environment)
        if let explicit = environment["SWIFT_ML_LLAMA_SERVER"], !explicit.isEmpty { return explicit }
        if ExecutableLookup.isExecutableFile(paths.llamaServer) { return paths.llamaServer }
        return (try? ExecutableLookup.resolve("llama-server", environment: environment)) ?? paths.llamaServer
    }

    /// `executable` as an absolute path: names without a `/` are looked up on `PATH`; `nil` when not executable.
    public func resolvedExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        try? ExecutableLookup.resolve(executable, environment: environment)
    }

    /// Settings with the contract's load options applied.
    public func applying(_ options: LoadOptions) -> LlamaServerSettings {
        var settings = self
        if let value = options.contextLength { settings.contextLength = value }
        if let value = options.threads { settings.threads = value }
        if let value = options.parallelSlots { settings.parallelSlots = max(1, value) }
        if let value = options.gpuLayers { settings.gpuLayers = value }
        if let value = options.loraAdapterPath { settings.loraAdapters = [value] }
        return settings
    }

    /// Settings for one of `servers` managed servers running at once on this machine: each gets its share of the
    /// cores (`--threads`), so they do not fight over them. Threads set explicitly (the user's flag) are kept, and
    /// a server alone keeps llama-server's own default.
    public func dividingCores(among servers: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount)
        -> LlamaServerSettings
    {
        guard threads == nil, servers > 1 else { return self }
        var settings = self
        settings.threads = max(1, cores / servers)
        return settings
    }

    /// llama-server's arguments for `model` on `port` — an argument array, never a shell string.
    public func arguments(model: String, port: Int) -> [String] {
        var arguments = ["-m", model, "--host", host, "--port", String(port), "--parallel", String(parallelSlots)]
        if let contextLength { arguments += ["--ctx-size", String(contextLength)] }
        if let threads { arguments += ["--threads", String(threads)] }
        if let gpuLayers { arguments += ["--n-gpu-layers", String(gpuLayers)] }
        for adapter in loraAdapters { arguments += ["--lora", adapter] }
        // The RAM prompt cache restores a prompt's KV by its tokens alone, whatever adapter scales computed it,
        // so with per-request scales an answer could be read from the other setting's cache. Without it each slot
        // reuses only its own prefix (and only with the adapters off: see LlamaServerModel.cachesPrompt).
        if !loraAdapters.isEmpty { arguments += ["--cache-ram", "0"] }
        return arguments + extraArguments
    }
}
