import ArgumentParser
import Foundation
import Inference
import Runs

/// Where the model comes from: a remote OpenAI-compatible server (`--url`) or a local model run by a managed
/// server — a GGUF on llama-server, or with `--backend mlx` an MLX directory on mlx_lm.server (the default model
/// when neither is given). The flags of Runs' ``ModelSettings``.
struct ModelSelection: ParsableArguments {
    @Option(help: "Base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:8080). Repeat for a pool.")
    var url: [String] = []

    @Option(help: "With --url: the server's model name. Otherwise: a GGUF file, or with --backend mlx an MLX model directory (default: the SmolLM2 model).")
    var model: String?

    @OptionGroup var backend: BackendOptions

    @Option(help: "API key for --url (default: $OPENAI_API_KEY). Never logged.")
    var apiKey: String?

    @Option(help: "A LoRA adapter on the local model: with --backend mlx an mlx_lm.lora adapter directory (adapters.safetensors and adapter_config.json), with llama a GGUF LoRA (ml convert gguf-lora).")
    var adapter: String?

    func validate() throws {
        if adapter != nil, !url.isEmpty { throw ValidationError("--adapter applies to a local model, not to --url") }
    }

    /// The selected model as library settings.
    var settings: ModelSettings {
        ModelSettings(urls: url, model: model, backend: backend.backend, cacheLimitBytes: backend.mlxCacheLimit,
                      memoryLimitBytes: backend.mlxMemoryLimit, apiKey: apiKey, adapterPath: adapter)
    }

    /// Loads the selected model (``ModelSettings/load(concurrency:contextPerSlot:environment:warn:)``); caps are
    /// printed as warnings. The caller closes it.
    func load(concurrency: Int = 1, contextPerSlot: Int? = nil,
              environment: [String: String] = ProcessInfo.processInfo.environment,
              warn: @escaping @Sendable (String) -> Void = { printError("warning: " + $0) }) async throws -> any TextModel {
        try await settings.load(concurrency: concurrency, contextPerSlot: contextPerSlot, environment: environment, warn: warn)
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
