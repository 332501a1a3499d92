import Foundation
import HTTPStreaming
import Inference
import LlamaServer
import MLXServer
import OpenAIBackend
import LocalModels

/// The backends swift-ml knows, and the one way every run loads a model: by name through the registry (`llama`,
/// `openai`, `mlx`), so a new backend is one registration here.
public enum ModelLoader {
    /// Where the `openai` backend sends requests, and how.
    public struct Remote: Sendable {
        public var urls: [String]
        public var apiKey: String?
        public var configuration: StreamingHTTPConfiguration

        public init(urls: [String], apiKey: String? = nil, configuration: StreamingHTTPConfiguration = StreamingHTTPConfiguration()) {
            self.urls = urls
            self.apiKey = apiKey
            self.configuration = configuration
        }
    }

    /// `remote` configures the `openai` backend (else `OPENAI_BASE_URL`); `onEvent` hears of a managed llama-server's
    /// deaths and restarts.
    public static func registry(
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
    public static func load(
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
        let path = path ?? (name == "openai" ? "" : defaultModel(backend: name, environment: environment))
        return try await registry.loadModel(path: path, options: loadOptions)
    }

    /// The model used when none is given: the default GGUF, or for MLX its converted copy in `models/`.
    public static func defaultModel(backend: String, environment: [String: String]) -> String {
        guard backend == "mlx" else { return MLPaths(environment: environment).defaultModel }
        return MLXServerSettings.defaultModel(environment: environment)
    }

    /// Whether two paths name the same file (symlinks resolved): a judge on the same file shares its server.
    public static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).resolvingSymlinksInPath().path == URL(fileURLWithPath: b).resolvingSymlinksInPath().path
    }
}
