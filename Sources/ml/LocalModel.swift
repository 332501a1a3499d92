import Foundation
import Inference
import LlamaServer
import ML
import MLXServer
import ModelFormats

/// The local model: a GGUF file (default: the SmolLM2 model in `$SWIFT_ML_HOME/models`) run by a managed
/// llama-server.
enum LocalModel {
    static func backend(environment: [String: String] = ProcessInfo.processInfo.environment) -> LlamaBackend {
        LlamaBackend(settings: LlamaServerSettings(executable: LlamaServerSettings.defaultExecutable(environment: environment)))
    }

    /// `onEvent` hears of a llama-server's deaths and restarts.
    static func load(
        path: String?,
        backend options: BackendOptions = BackendOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onEvent: (@Sendable (String) -> Void)? = nil
    ) async throws -> any TextModel {
        if options.backend != "llama" {
            // Other local backends (mlx) come from the registry, which says when one is unknown or unavailable.
            let registry = Backends.registry(environment: environment)
            if let mlx = registry.backend(named: options.backend) as? MLXBackend, let reason = mlx.unavailableReason {
                throw InferenceError(.backendNotAvailable, reason)
            }
            return try await registry.loadModel(
                path: path ?? options.defaultModel(environment: environment),
                options: options.loadOptions
            )
        }
        let paths = MLPaths(environment: environment)
        var settings = backend(environment: environment).settings
        settings.onEvent = onEvent
        let backend = LlamaBackend(settings: settings)
        guard backend.isAvailable else {
            throw InferenceError(
                .backendNotAvailable,
                "llama-server not found at \(backend.settings.executable): run scripts/setup, or set SWIFT_ML_LLAMA_SERVER, or use --url"
            )
        }
        return try await backend.loadModel(path: path ?? paths.defaultModel, options: LoadOptions())
    }

    static let discovery = ModelDiscovery(ggufArchitecture: GGUFFile.architecture(path:))

    /// One line per model: name, format, size, architecture, quantisation, context length, path.
    static func describe(_ model: DiscoveredModel) -> String {
        let size = ByteCountFormatter.string(fromByteCount: model.sizeBytes, countStyle: .file)
        var details = [model.modelType ?? "-"]
        if model.format == .gguf, let info = try? GGUFFile.read(path: model.path).modelInfo(id: model.name) {
            details.append(info.quantization ?? "-")
            details.append(info.contextLength.map { "ctx \($0)" } ?? "-")
        }
        return "\(model.name)  \(model.format.rawValue)  \(size)  \(details.joined(separator: "  "))  \(model.path)"
    }
}
