import Foundation
import HTTPStreaming
import Inference
import LlamaServer
import MLXServer
import OpenAIBackend

/// The backends the `ml` command knows, and the one way every command loads a model: by name through the
/// registry (`llama`, `openai`, `mlx`), so a new backend is one registration here.
enum Backends {
    /// Where the `openai` backend sends requests, and how.
    struct Remote {
        var urls: [String]
        var apiKey: String?
        var configuration: StreamingHTTPConfiguration
    }

    /// `remote` configures the `openai` backend (else `OPENAI_BASE_URL`); `onEvent` hears of a managed llama-server's
    /// deaths and restarts.
    static func registry(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        remote: Remote? = nil,
        onEvent: (@Sendable (String) -> Void)? = nil
    ) -> BackendRegistry {
        var llama = LlamaServerSettings(executable: LlamaServerSettings.defaultExecutable(environment: environment))
        llama.onEvent = onEvent
        return BackendRegistry([
            LlamaBackend(settings: llama),
            OpenAIInferenceBackend(baseURLs: remote?.urls, apiKey: remote?.apiKey,
                                   configuration: remote?.configuration ?? StreamingHTTPConfiguration(), environment: environment),
            MLXBackend(settings: MLXServerSettings(environment: environment)),
        ])
    }

    /// Loads `path` with `options.backend` (default `llama`; `openai` when `remote` is given): a GGUF file, an MLX
    /// directory, or for `openai` the server's model name (empty for its default). With no path, the backend's
    /// default model.
    static func load(
        path: String?,
        options: LoadOptions = LoadOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        remote: Remote? = nil,
        onEvent: (@Sendable (String) -> Void)? = nil
    ) async throws -> any TextModel {
        let registry = registry(environment: environment, remote: remote, onEvent: onEvent)
        let name = remote == nil ? options.backend ?? "llama" : "openai"
        var loadOptions = options
        loadOptions.backend = name
        let path = path ?? (name == "openai" ? "" : BackendOptions.defaultModel(backend: name, environment: environment))
        return try await registry.loadModel(path: path, options: loadOptions)
    }
}
