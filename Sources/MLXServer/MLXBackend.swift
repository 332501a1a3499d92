import Foundation
import Inference

/// The registry's `mlx` backend: loads MLX / Hugging Face model directories into a managed mlx_lm.server.
/// Available when the MLX interpreter has `mlx` and `mlx_lm` (``unavailableReason`` says why not).
public struct MLXBackend: InferenceBackend {
    public let name = "mlx"
    public let settings: MLXServerSettings

    public init(settings: MLXServerSettings = MLXServerSettings()) {
        self.settings = settings
    }

    public var isAvailable: Bool { unavailableReason == nil }

    /// Why the backend cannot run here, or `nil` when it can.
    public var unavailableReason: String? { MLXAvailability.problem(python: settings.python) }

    public func loadModel(path: String, options: LoadOptions) async throws -> any TextModel {
        if let reason = unavailableReason { throw InferenceError(.backendNotAvailable, reason) }
        return try await MLXServerModel(modelPath: path, settings: settings.applying(options))
    }
}
