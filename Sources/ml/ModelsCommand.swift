import ArgumentParser
import Foundation
import HTTPStreaming
import Inference
import OpenAIBackend
import LocalModels

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List models: a server's (--url) or those in a directory (default: the models directory)."
    )

    @Option(help: "Base URL of an OpenAI-compatible server.") var url: String?
    @Option(help: "API key for --url (default: $OPENAI_API_KEY).") var apiKey: String?
    @Argument(help: "Directory to scan for GGUF files and safetensors model directories.") var directory: String?

    func run() async throws {
        if let url {
            let models = try await withStreamingHTTPClient(
                baseURLs: [url], apiKey: apiKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"]
            ) { try await $0.models() }
            for model in models { print(model.id) }
            return
        }
        let directory = directory ?? MLPaths().modelsDirectory
        let models = try LocalModel.discovery.scan(directory: directory)
        if models.isEmpty { print("no models in \(directory)") }
        for model in models { print(LocalModel.describe(model)) }
    }
}
