import Foundation
import HTTPStreaming
import Inference

/// The registry's `openai` backend: `loadModel(path:)` takes the server-side model name as its path and
/// returns an ``OpenAIModel`` on the configured base URL(s). Available when a base URL is configured
/// (explicitly, or by `OPENAI_BASE_URL`).
public struct OpenAIInferenceBackend: InferenceBackend {
    public let name = "openai"
    public let baseURLs: [String]
    public let apiKey: String?
    public let configuration: StreamingHTTPConfiguration

    public init(
        baseURLs: [String]? = nil,
        apiKey: String? = nil,
        configuration: StreamingHTTPConfiguration = StreamingHTTPConfiguration(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.baseURLs = baseURLs ?? environment["OPENAI_BASE_URL"].map { [$0] } ?? []
        self.apiKey = apiKey ?? environment["OPENAI_API_KEY"]
        self.configuration = configuration
    }

    public var isAvailable: Bool { !baseURLs.isEmpty }

    public var unavailableReason: String? {
        isAvailable ? nil : "backend 'openai' has no base URL (pass --url or set OPENAI_BASE_URL)"
    }

    public func loadModel(path: String, options: LoadOptions) async throws -> any TextModel {
        if let unavailableReason { throw InferenceError(.backendNotAvailable, unavailableReason) }
        let client = StreamingHTTPClient(baseURLs: baseURLs, apiKey: apiKey, configuration: configuration)
        return OpenAIModel(client: client, modelName: path.isEmpty ? nil : path, ownsClient: true)
    }
}
