import ChildProcess
import Foundation
import Inference
import ManagedServer
import LocalModels

/// How to run a managed llama-server. All fields have defaults. The supervision fields (`executable` — default
/// ``defaultExecutable(environment:)`` —, `host`, `port`, `healthDeadline`, `stopGracePeriod`, `logCapacity`,
/// `logFile`, `restartAfterCrash`, `onEvent`) are its ``ManagedServerOptions``, read and written by name.
public struct LlamaServerSettings: Sendable, ManagedServerSupervised {
    public var supervision: ManagedServerOptions
    public var contextLength: Int?
    public var threads: Int?
    /// Parallel slots: generations served at once.
    public var parallelSlots: Int
    public var gpuLayers: Int?
    public var loraAdapters: [String]
    public var extraArguments: [String]

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
        supervision = ManagedServerOptions(
            executable: executable, host: host, port: port, healthDeadline: healthDeadline, stopGracePeriod: stopGracePeriod,
            logCapacity: logCapacity, logFile: logFile, restartAfterCrash: restartAfterCrash)
        self.contextLength = contextLength
        self.threads = threads
        self.parallelSlots = max(1, parallelSlots)
        self.gpuLayers = gpuLayers
        self.loraAdapters = loraAdapters
        self.extraArguments = extraArguments
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
        var arguments = ["-m", model, "--host", supervision.host, "--port", String(port), "--parallel", String(parallelSlots)]
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
