import Inference

/// A fake ``InferenceBackend`` for registry tests: loads ``ScriptedModel``s and reports a fixed availability.
public struct ScriptedBackend: InferenceBackend {
    public let name: String
    public let isAvailable: Bool
    private let makeModel: @Sendable (String, LoadOptions) throws -> any TextModel

    public init(
        name: String = "scripted",
        isAvailable: Bool = true,
        makeModel: @escaping @Sendable (String, LoadOptions) throws -> any TextModel = { _, _ in ScriptedModel() }
    ) {
        self.name = name
        self.isAvailable = isAvailable
        self.makeModel = makeModel
    }

    public func loadModel(path: String, options: LoadOptions) async throws -> any TextModel {
        guard isAvailable else {
            throw InferenceError(.backendNotAvailable, "backend '\(name)' is not available on this machine")
        }
        return try makeModel(path, options)
    }
}
