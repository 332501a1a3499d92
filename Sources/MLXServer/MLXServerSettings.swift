import Foundation
import Inference
import ManagedServer
import LocalModels

/// How to run a managed `mlx_lm.server`. All fields have defaults. The supervision fields (`python`, the server's
/// executable, `host`, `port`, `healthDeadline`, `stopGracePeriod`, `logCapacity`, `logFile`, `restartAfterCrash`,
/// `onEvent`) are its ``ManagedServerOptions``, read and written by name.
public struct MLXServerSettings: Sendable, ManagedServerSupervised {
    public var supervision: ManagedServerOptions
    /// The Python interpreter that has `mlx` and `mlx_lm` (the server's executable). Default:
    /// ``defaultPython(environment:)``.
    public var python: String {
        get { supervision.executable }
        set { supervision.executable = newValue }
    }
    /// `mx.set_cache_limit` in bytes, applied by the launcher before the model loads (`nil`: MLX's default).
    public var cacheLimit: Int?
    /// `mx.set_memory_limit` in bytes (`nil`: MLX's default).
    public var memoryLimit: Int?
    /// `mx.set_wired_limit` in bytes, where the platform has wired memory (Metal); ignored elsewhere.
    public var wiredLimit: Int?
    /// Generations decoded at once (the server's `--decode-concurrency`).
    public var parallelSlots: Int
    /// A LoRA adapter directory (`adapters.safetensors` + `adapter_config.json`) applied by the server.
    public var adapterPath: String?
    /// Preload the system's OpenBLAS (``openBLASLibrary``) into the server: the Linux `mlx[cpu]` wheel bundles
    /// reference BLAS, many times slower at matrix products. Default: on where the library exists (Linux with
    /// Debian's `libopenblas0-pthread`); `SWIFT_ML_MLX_OPENBLAS=0` turns it off.
    public var preloadOpenBLAS: Bool
    /// The OpenBLAS shared library to preload.
    public var openBLASLibrary: String
    /// OpenBLAS threads (`OPENBLAS_NUM_THREADS`). Default 1, or `$SWIFT_ML_MLX_OPENBLAS_THREADS`: on two busy cores
    /// one thread measured faster than one per core for both prompt and generation (`scripts/bench-mlx.py blas`).
    public var openBLASThreads: Int
    /// The Hugging Face home the server sees; it must exist, or `/v1/models` answers an empty body.
    public var huggingFaceHome: String
    public var extraArguments: [String]

    public init(
        python: String? = nil,
        host: String = "127.0.0.1",
        port: Int? = nil,
        cacheLimit: Int? = nil,
        memoryLimit: Int? = nil,
        wiredLimit: Int? = nil,
        parallelSlots: Int = 2,
        adapterPath: String? = nil,
        preloadOpenBLAS: Bool? = nil,
        openBLASLibrary: String = MLXServerSettings.debianOpenBLAS,
        huggingFaceHome: String? = nil,
        extraArguments: [String] = [],
        healthDeadline: Duration = .seconds(180),
        stopGracePeriod: Duration = .seconds(5),
        logCapacity: Int = 500,
        logFile: String? = nil,
        restartAfterCrash: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let paths = MLPaths(environment: environment)
        // The health deadline defaults to 180 s: Python and MLX take seconds to import on a busy machine.
        supervision = ManagedServerOptions(
            executable: python ?? Self.defaultPython(environment: environment), host: host, port: port,
            healthDeadline: healthDeadline, stopGracePeriod: stopGracePeriod, logCapacity: logCapacity, logFile: logFile,
            restartAfterCrash: restartAfterCrash)
        self.cacheLimit = cacheLimit
        self.memoryLimit = memoryLimit
        self.wiredLimit = wiredLimit
        self.parallelSlots = max(1, parallelSlots)
        self.adapterPath = adapterPath
        #if os(Linux)
        let wanted = environment["SWIFT_ML_MLX_OPENBLAS"] != "0"
        #else
        let wanted = false  // macOS: MLX uses Metal and Accelerate.
        #endif
        self.preloadOpenBLAS = preloadOpenBLAS ?? (wanted && FileManager.default.fileExists(atPath: openBLASLibrary))
        self.openBLASLibrary = openBLASLibrary
        self.openBLASThreads = environment["SWIFT_ML_MLX_OPENBLAS_THREADS"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        self.huggingFaceHome = huggingFaceHome ?? (paths.home as NSString).appendingPathComponent("mlx-hf")
        self.extraArguments = extraArguments
    }

    /// Debian's OpenBLAS (package `libopenblas0-pthread`).
    #if arch(arm64)
    public static let debianOpenBLAS = "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0"
    #else
    public static let debianOpenBLAS = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"
    #endif

    /// `$SWIFT_ML_MLX_PYTHON`, else `$SWIFT_ML_HOME/mlx-venv/bin/python` (where `scripts/setup` installs MLX).
    public static func defaultPython(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["SWIFT_ML_MLX_PYTHON"], !explicit.isEmpty { return explicit }
        return (MLPaths(environment: environment).home as NSString).appendingPathComponent("mlx-venv/bin/python")
    }

    /// The default MLX model: the converted copy of the default GGUF that `scripts/setup` makes in `models/`.
    public static func defaultModel(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (MLPaths(environment: environment).modelsDirectory as NSString).appendingPathComponent("SmolLM2-135M-Instruct-mlx")
    }

    /// Settings with the contract's load options applied.
    public func applying(_ options: LoadOptions) -> MLXServerSettings {
        var settings = self
        if let value = options.parallelSlots { settings.parallelSlots = max(1, value) }
        if let value = options.loraAdapterPath { settings.adapterPath = value }
        if let value = options.cacheLimitBytes { settings.cacheLimit = value }
        if let value = options.memoryLimitBytes { settings.memoryLimit = value }
        return settings
    }

    /// The launcher's arguments for a server of `model` on `port` — an argument array, never a shell string.
    public func arguments(launcher: String, model: String, port: Int) -> [String] {
        var arguments = [launcher]
        if let cacheLimit { arguments += ["--cache-limit", String(cacheLimit)] }
        if let memoryLimit { arguments += ["--memory-limit", String(memoryLimit)] }
        if let wiredLimit { arguments += ["--wired-limit", String(wiredLimit)] }
        arguments += ["--", "--model", model, "--host", supervision.host, "--port", String(port)]
        arguments += ["--decode-concurrency", String(parallelSlots), "--prompt-concurrency", String(parallelSlots)]
        if let adapterPath { arguments += ["--adapter-path", adapterPath] }
        return arguments + extraArguments
    }

    /// Environment for the server: our Hugging Face home, unbuffered Python output, and OpenBLAS when preloaded.
    public var environment: [String: String] {
        var environment = ["HF_HOME": huggingFaceHome, "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1"]
        if preloadOpenBLAS {
            environment["LD_PRELOAD"] = openBLASLibrary
            environment["OPENBLAS_NUM_THREADS"] = String(openBLASThreads)
        }
        return environment
    }
}
