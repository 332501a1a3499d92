import Inference

/// Named backends with a default: the entry point programs use to generate without caring where.
public struct Service: Sendable {
    private var backends: [String: any Backend] = [:]
    /// The backend used when a call names none.
    public var defaultBackendName: String?

    public init(backends: [any Backend] = [], defaultBackend: String? = nil) {
        for backend in backends { register(backend) }
        if let defaultBackend { self.defaultBackendName = defaultBackend }
    }

    /// Adds `backend`; the first one registered becomes the default unless one is set.
    public mutating func register(_ backend: any Backend) {
        backends[backend.name] = backend
        if defaultBackendName == nil { defaultBackendName = backend.name }
    }

    /// Registered backend names, sorted.
    public var names: [String] { backends.keys.sorted() }

    /// The backend named `name`, or the default when `name` is `nil`.
    public func backend(_ name: String? = nil) throws -> any Backend {
        if let name {
            guard let backend = backends[name] else {
                throw InferenceError(
                    .backendNotRegistered,
                    "backend '\(name)' is not registered (registered: \(names.joined(separator: ", ")))"
                )
            }
            return backend
        }
        guard let defaultBackendName, let backend = backends[defaultBackendName] else {
            throw InferenceError(.noBackend, "no backend named and no default backend is set")
        }
        return backend
    }

    public func generate(
        backend name: String? = nil,
        _ prompt: String,
        opts: GenOpts = GenOpts()
    ) async throws -> GenerationResult {
        try await backend(name).generate(prompt, opts: opts)
    }

    public func chat(
        backend name: String? = nil,
        _ messages: [Message],
        opts: GenOpts = GenOpts()
    ) async throws -> GenerationResult {
        try await backend(name).chat(messages, opts: opts)
    }
}
