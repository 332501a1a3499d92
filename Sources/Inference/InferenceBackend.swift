/// Something that can load models: a runtime (llama.cpp, MLX) or a remote API.
public protocol InferenceBackend: Sendable {
    /// The name the registry knows it by, e.g. `llama`, `openai`.
    var name: String { get }
    /// Whether the backend can run on this machine now (its binary, library or server is present).
    var isAvailable: Bool { get }
    /// Why the backend is not available, in words a user can act on; `nil` when it is.
    var unavailableReason: String? { get }
    /// Loads the model at `path` (a file, a directory or, for remote backends, a model name).
    func loadModel(path: String, options: LoadOptions) async throws -> any TextModel
}

extension InferenceBackend {
    public var unavailableReason: String? {
        isAvailable ? nil : "backend '\(name)' is not available on this machine"
    }
}
