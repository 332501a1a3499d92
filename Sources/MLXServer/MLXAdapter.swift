import Foundation
import Inference

/// A LoRA adapter in mlx-lm's layout — a directory with `adapters.safetensors` and `adapter_config.json`, as
/// `mlx_lm.lora` writes them — to apply on the server of the model at `modelPath`.
public struct MLXAdapter: Sendable, Hashable {
    /// The base model's directory, exactly as the server was started with it (the server keys its loaded model on it).
    public var modelPath: String
    /// The adapter directory.
    public var directory: String

    /// Checks that `directory` holds an adapter in mlx-lm's layout.
    public init(modelPath: String, directory: String) throws {
        for file in ["adapters.safetensors", "adapter_config.json"] {
            let path = (directory as NSString).appendingPathComponent(file)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw InferenceError(
                    .invalidModel,
                    "MLX adapter directory '\(directory)' lacks \(file) (mlx_lm.lora's layout: adapters.safetensors + adapter_config.json)"
                )
            }
        }
        self.modelPath = modelPath
        self.directory = directory
    }
}
