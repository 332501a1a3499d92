import Foundation
import Inference
import ML

/// The registry's `llama` backend: loads GGUF files into a managed llama-server.
/// Available when the llama-server executable exists.
public struct LlamaBackend: InferenceBackend {
    public let name = "llama"
    public let settings: LlamaServerSettings
    /// Reads model facts (architecture, sizes) from a GGUF file; `nil` leaves them unknown.
    public let describeModel: (@Sendable (String) -> ModelInfo?)?

    public init(settings: LlamaServerSettings = LlamaServerSettings(), describeModel: (@Sendable (String) -> ModelInfo?)? = nil) {
        self.settings = settings
        self.describeModel = describeModel
    }

    public var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: settings.executable) }

    public func loadModel(path: String, options: LoadOptions) async throws -> any TextModel {
        try await LlamaServerModel(modelPath: path, settings: settings.applying(options), info: describeModel?(path))
    }
}
