import Foundation

/// Where swift-ml keeps its components: `$SWIFT_ML_HOME` (default `~/.cache/swift-ml`), with `bin/llama-server`
/// and `models/`. Environment variables override each path; command-line flags override the environment.
public struct MLPaths: Sendable {
    /// The default model's file name.
    public static let defaultModelName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    public var home: String
    public var llamaServer: String
    public var modelsDirectory: String
    public var defaultModel: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["SWIFT_ML_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/swift-ml")
        self.home = home
        self.llamaServer = environment["SWIFT_ML_LLAMA_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent("bin/llama-server")
        self.modelsDirectory = environment["SWIFT_ML_MODELS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent("models")
        self.defaultModel = environment["SWIFT_ML_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (modelsDirectory as NSString).appendingPathComponent(Self.defaultModelName)
    }
}
