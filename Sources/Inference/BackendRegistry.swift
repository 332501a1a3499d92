/// The backends a program knows, by name. A plain value: each program or test builds its own, so there is no
/// global state to isolate.
public struct BackendRegistry: Sendable {
    private var backends: [String: any InferenceBackend] = [:]
    private var order: [String] = []

    public init(_ backends: [any InferenceBackend] = []) {
        for backend in backends { register(backend) }
    }

    /// Adds `backend`, replacing any registered under the same name.
    public mutating func register(_ backend: any InferenceBackend) {
        if backends[backend.name] == nil { order.append(backend.name) }
        backends[backend.name] = backend
    }

    /// The backend named `name`, or `nil`.
    public func backend(named name: String) -> (any InferenceBackend)? { backends[name] }

    /// All backends, in registration order.
    public var all: [any InferenceBackend] { order.compactMap { backends[$0] } }

    /// The backend named `name`, or an error saying it is not registered or not available here.
    public func require(_ name: String) throws -> any InferenceBackend {
        guard let backend = backends[name] else {
            let known = order.isEmpty ? "none" : order.joined(separator: ", ")
            throw InferenceError(.backendNotRegistered, "backend '\(name)' is not registered (registered: \(known))")
        }
        if let reason = backend.unavailableReason { throw InferenceError(.backendNotAvailable, reason) }
        return backend
    }

    /// The first available backend in `preference` order, then in registration order.
    public func defaultBackend(preference: [String] = []) throws -> any InferenceBackend {
        for name in preference + order {
            if let backend = backends[name], backend.isAvailable { return backend }
        }
        let known = order.isEmpty ? "none registered" : "registered: \(order.joined(separator: ", "))"
        throw InferenceError(.noBackend, "no backend is available on this machine (\(known))")
    }

    /// Loads the model at `path` with `options.backend`, or with the default backend when none is named.
    public func loadModel(
        path: String,
        options: LoadOptions = LoadOptions(),
        preference: [String] = []
    ) async throws -> any TextModel {
        let backend = try options.backend.map(require) ?? defaultBackend(preference: preference)
        return try await backend.loadModel(path: path, options: options)
    }
}
