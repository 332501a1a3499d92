import Foundation
import HTTPTypes
import Hummingbird
import Inference
import JSONValues
import Serving

/// `/v1/ml/*` in `ml serve`: the reference's REST endpoints (`backends`, `status`, `generate`, in its envelope)
/// and their OpenAPI document at `/v1/ml/openapi.json`, behind the OpenAI server's key and Host rule.
public struct MLRestAPI: Sendable {
    public static let basePath = "/v1/ml"
    let environment: ToolEnvironment
    /// The served model `generate` answers with, its id and its backend's name.
    let model: any TextModel
    let modelID: String
    let backendName: String
    let maxBodyBytes: Int
    let maxTokens: Int
    /// `/v1/ml/probe`'s jobs (cancel them at shutdown).
    public let jobs: ToolJobs

    public init(environment: ToolEnvironment, model: any TextModel, modelID: String, backendName: String,
                maxBodyBytes: Int = 1 << 20, maxTokens: Int = 2048) {
        self.environment = environment
        self.model = model
        self.modelID = modelID
        self.backendName = backendName
        self.maxBodyBytes = maxBodyBytes
        self.maxTokens = maxTokens
        jobs = ToolJobs()
    }

    public func routeExtension() -> RouteExtension {
        let base = Self.basePath
        return RouteExtension(routes: [
            (base + "/backends", [.get]), (base + "/status", [.get]), (base + "/generate", [.post]),
            (base + "/openapi.json", [.get]), (base + "/score", [.post]), (base + "/probe", [.post]),
            (base + "/probe/{id}", [.get, .delete]), (base + "/probe/{id}/events", [.get]),
        ]) { router in
            router.get(RouterPath(base + "/backends")) { _, _ in self.listBackends() }
            router.get(RouterPath(base + "/status")) { _, _ in await self.status() }
            router.post(RouterPath(base + "/generate")) { request, _ in await self.generate(request) }
            router.get(RouterPath(base + "/openapi.json")) { _, _ in RESTEnvelope.response(.ok, MLRestOpenAPI.document) }
            router.post(RouterPath(base + "/score")) { request, _ in await self.score(request) }
            router.post(RouterPath(base + "/probe")) { request, _ in await self.startProbe(request) }
            router.get(RouterPath(base + "/probe/{id}")) { _, context in await self.probeJob(context.parameters.get("id") ?? "") }
            router.delete(RouterPath(base + "/probe/{id}")) { _, context in await self.cancelProbe(context.parameters.get("id") ?? "") }
            router.get(RouterPath(base + "/probe/{id}/events")) { _, context in await self.probeEvents(context.parameters.get("id") ?? "") }
        }
    }

    func listBackends() -> Response {
        RESTEnvelope.ok(.array(environment.backends().map(\.json)))
    }

    /// The reference's `ready`, `backends` and `has_judge`, then ours: the served model and ``StatusSnapshot``.
    func status() async -> Response {
        let available = environment.backends().filter { $0.unavailableReason == nil }.map(\.name)
        let snapshot = await StatusSnapshot.read(store: environment.store, workspace: environment.workspace,
                                                 influx: environment.influx)
        var data: [String: JSONValue] = [
            "ready": .bool(!available.isEmpty), "backends": .array(available.map(JSONValue.string)), "has_judge": .bool(environment.judge != nil),
            "model": .string(modelID), "backend": .string(backendName),
        ]
        if case .object(let extra) = snapshot.json() { data.merge(extra) { current, _ in current } }
        return RESTEnvelope.ok(.object(data))
    }

    /// `{"prompt", "backend"?, "temperature"?, "max_tokens"?}` → `{"text", "finish_reason", "model"}`; the
    /// reference's defaults: temperature 0.1, 512 tokens.
    func generate(_ request: Request) async -> Response {
        let fields: [String: JSONValue]
        switch await RESTEnvelope.jsonObject(request, maxBytes: maxBodyBytes) {
        case .success(let object): fields = object
        case .failure(let refusal): return refusal.response
        }
        let arguments = ToolArguments(fields)
        let prompt: String
        var options = GenerateOptions(maxTokens: 512, temperature: 0.1)
        do {
            prompt = try arguments.requiredString("prompt")
            if let backend = try arguments.string("backend"), !backend.isEmpty, backend != backendName, backend != modelID {
                return RESTEnvelope.fail(.badRequest, code: "INVALID_REQUEST",
                                         message: "backend '\(backend)' is not served here; this server serves \(modelID) on \(backendName)")
            }
            if let temperature = try arguments.double("temperature", in: 0...2), temperature > 0 { options.temperature = temperature }
            if let tokens = try arguments.int("max_tokens", in: 0...maxTokens), tokens > 0 { options.maxTokens = tokens }
        } catch {
            return RESTEnvelope.fail(.badRequest, code: "INVALID_REQUEST", message: (error as? ToolError)?.message ?? "\(error)")
        }
        do {
            let result = try await model.reply([.user(prompt)], options: options)
            return RESTEnvelope.ok(.object(["text": .string(result.text), "finish_reason": .string(result.finishReason.rawValue),
                                            "model": .string(modelID)]))
        } catch {
            return RESTEnvelope.fail(.internalServerError, code: "GENERATION_FAILED", message: "\(error)")
        }
    }
}
