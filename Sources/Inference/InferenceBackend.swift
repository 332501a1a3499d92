/// Something that can load models: a runtime (llama.cpp, MLX) or a remote API.
public protocol InferenceBackend: Sendable {
    /// The name the registry knows it by, e.g. `llama`, `openai`.
    var name: String { get }
    /// Whether the backend can run on this machine now (its binary, library or server is present).
    var isAvailable: Bool { get }
    /// Loads the model at `path` (a file, a directory or, for remote backends, a model name).
    func loadModel(path: String, options: LoadOptions) async throws -> any TextModel
}
