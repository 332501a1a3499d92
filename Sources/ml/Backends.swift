import Foundation
import Inference
import MLXServer
import OpenAIBackend

/// The backends the `ml` command knows.
enum Backends {
    static func registry(environment: [String: String] = ProcessInfo.processInfo.environment) -> BackendRegistry {
        BackendRegistry([
            LocalModel.backend(environment: environment),
            OpenAIInferenceBackend(environment: environment),
            MLXBackend(settings: MLXServerSettings(environment: environment)),
        ])
    }
}
