import Foundation
import Inference
import ModelFormats

/// The registry's `llama` backend: loads GGUF files into a managed llama-server.
/// Available when the llama-server executable exists (a path, or a name found on `PATH`).
public struct LlamaBackend: InferenceBackend {
    public let name = "llama"
    public let settings: LlamaServerSettings
    public init(settings: LlamaServerSettings = LlamaServerSettings()) {
        self.settings = settings
    }

    public var isAvailable: Bool { settings.resolvedExecutable() != nil }

    public var unavailableReason: String? {
        isAvailable ? nil
            : "llama-server not found at \(settings.executable): run scripts/setup, or set SWIFT_ML_LLAMA_SERVER, or use --url"
    }

    public func loadModel(path: String, options: LoadOptions) async throws -> any TextModel {
        try await LlamaServerModel(modelPath: path, settings: settings.applying(options))
    }
}
