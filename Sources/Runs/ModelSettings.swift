import Foundation
import HTTPStreaming
import Inference
import LocalModels

/// Which model a run uses: a remote OpenAI-compatible server (``urls``) or a local model on a managed server — a
/// GGUF on llama-server, or with backend `mlx` an MLX directory on mlx_lm.server (the default model when
/// ``model`` is nil).
public struct ModelSettings: Sendable {
    /// Base URLs of OpenAI-compatible servers (several: a pool); empty for a local model.
    public var urls: [String]
    /// With ``urls``: the server's model name. Otherwise a GGUF file or an MLX directory; nil: the default model.
    public var model: String?
    /// The local backend: `llama`, `mlx` or `openai`.
    public var backend: String
    /// With `mlx`: bytes MLX may keep in its buffer cache.
    public var cacheLimitBytes: Int?
    /// With `mlx`: bytes MLX may use before it frees its cache.
    public var memoryLimitBytes: Int?
    /// For ``urls`` (nil: `$OPENAI_API_KEY`). Never logged.
    public var apiKey: String?
    /// A LoRA adapter on the local model: an `mlx_lm.lora` adapter directory with `mlx`, a GGUF LoRA with `llama`.
    public var adapterPath: String?

    public init(urls: [String] = [], model: String? = nil, backend: String = "llama", cacheLimitBytes: Int? = nil,
                memoryLimitBytes: Int? = nil, apiKey: String? = nil, adapterPath: String? = nil) {
        self.urls = urls
        self.model = model
        self.backend = backend
        self.cacheLimitBytes = cacheLimitBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.apiKey = apiKey
        self.adapterPath = adapterPath
    }

    /// The local backend's load options.
    public var loadOptions: LoadOptions {
        LoadOptions(backend: backend, loraAdapterPath: adapterPath, cacheLimitBytes: cacheLimitBytes,
                    memoryLimitBytes: memoryLimitBytes)
    }

    /// The local model file (the default model when none is given); nil for a remote server.
    public func localPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        urls.isEmpty ? (model ?? MLPaths(environment: environment).defaultModel) : nil
    }

    /// The name results are recorded under: a local model's id, a remote server's model name (`default`).
    public func recordedName(of loaded: any TextModel) -> String {
        urls.isEmpty ? loaded.info.id : (model ?? "default")
    }

    /// Loads the model for `concurrency` requests in flight: a remote server's connections follow it, and a local
    /// server decodes that many at once (its slots), each with `contextPerSlot` tokens when given (else the server's
    /// default, the model's training context per slot). A cap is reported through `warn`. The caller closes it.
    public func load(concurrency: Int = 1, contextPerSlot: Int? = nil,
                     environment: [String: String] = ProcessInfo.processInfo.environment,
                     warn: @escaping @Sendable (String) -> Void) async throws -> any TextModel {
        let remote = urls.isEmpty ? nil : ModelLoader.Remote(
            urls: urls, apiKey: apiKey ?? environment["OPENAI_API_KEY"],
            configuration: StreamingHTTPConfiguration(concurrency: concurrency) { warn("\($0)") })
        let options = LoadOptions.slots(concurrency, contextPerSlot: contextPerSlot, base: loadOptions)
        let loaded = try await ModelLoader.load(path: model, options: options, environment: environment, remote: remote)
        if remote == nil, let message = ConcurrencyCap.message(requested: concurrency, capacity: loaded.capacity, of: loaded.info.id) {
            warn(message)
        }
        return loaded
    }
}
