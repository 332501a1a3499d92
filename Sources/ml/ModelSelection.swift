import ArgumentParser
import Foundation
import HTTPStreaming
import Inference
import OpenAIBackend

/// Where the model comes from: a remote OpenAI-compatible server (`--url`) or a local model run by a managed
/// server — a GGUF on llama-server, or with `--backend mlx` an MLX directory on mlx_lm.server (the default model
/// when neither is given).
struct ModelSelection: ParsableArguments {
    @Option(help: "Base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:8080). Repeat for a pool.")
    var url: [String] = []

    @Option(help: "With --url: the server's model name. Otherwise: a GGUF file, or with --backend mlx an MLX model directory (default: the SmolLM2 model).")
    var model: String?

    @OptionGroup var backend: BackendOptions

    @Option(help: "API key for --url (default: $OPENAI_API_KEY). Never logged.")
    var apiKey: String?

    /// Loads the selected model for `concurrency` requests in flight: a remote server's connections follow it, and a
    /// local server decodes that many at once (its slots), each with `contextPerSlot` tokens when given (else the
    /// server's default, the model's training context per slot). A cap is reported through `warn`. The caller
    /// closes it.
    func load(concurrency: Int = 1, contextPerSlot: Int? = nil,
              environment: [String: String] = ProcessInfo.processInfo.environment,
              warn: @escaping @Sendable (String) -> Void = { printError("warning: " + $0) }) async throws -> any TextModel {
        let remote = url.isEmpty ? nil : Backends.Remote(
            urls: url, apiKey: apiKey ?? environment["OPENAI_API_KEY"],
            configuration: StreamingHTTPConfiguration(concurrency: concurrency) { warn("\($0)") })
        let options = LoadOptions.slots(concurrency, contextPerSlot: contextPerSlot, base: backend.loadOptions)
        let loaded = try await Backends.load(path: model, options: options, environment: environment, remote: remote)
        if remote == nil, let message = ConcurrencyCap.message(requested: concurrency, capacity: loaded.capacity, of: loaded.info.id) {
            warn(message)
        }
        return loaded
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
