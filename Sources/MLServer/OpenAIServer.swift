import Foundation
import HTTPTypes
import Hummingbird
import Inference
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An OpenAI-compatible HTTP server in front of any ``TextModel``: chat and text completions (whole or
/// streamed as server-sent events), model listing, health, Prometheus metrics and a small chat page.
///
/// Safe by default: loopback unless told otherwise, a bearer key when configured, bounded bodies, bounded
/// concurrency (429 beyond), and a client that disconnects cancels its generation.
public struct OpenAIServer: Sendable {
    public let model: any TextModel
    /// The model id clients see and must use (e.g. the GGUF file's name).
    public let modelID: String
    public let configuration: ServerConfiguration
    let metrics = ServerMetrics()
    let limiter: InFlightLimiter
    let startedAt = Date()

    public init(model: any TextModel, modelID: String? = nil, configuration: ServerConfiguration = ServerConfiguration()) {
        self.model = model
        self.modelID = modelID ?? model.info.id
        self.configuration = configuration
        self.limiter = InFlightLimiter(limit: configuration.maxConcurrent)
    }

    /// Requests generating now.
    public var inFlight: Int { limiter.current }

    // MARK: - Application

    /// The router with every route and middleware.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: OutcomeMiddleware(metrics: metrics))
        if let origin = configuration.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.accept, .authorization, .contentType, .origin]))
        }
        router.add(middleware: AuthMiddleware(apiKey: configuration.apiKey))
        router.post("/v1/chat/completions") { request, context in try await self.complete(request, context: context, chat: true) }
        router.post("/v1/completions") { request, context in try await self.complete(request, context: context, chat: false) }
        router.get("/v1/models") { _, _ in self.json(["object": "list", "data": [self.modelObject(detailed: false)]]) }
        router.get("/v1/models/{id}") { request, context in
            let id = try context.parameters.require("id")
            guard self.matches(id) else { throw APIError.modelNotFound(id) }
            return self.json(self.modelObject(detailed: true))
        }
        router.get("/healthz") { _, _ in
            self.json([
                "status": "ok", "model": self.modelID,
                "uptime_seconds": Date().timeIntervalSince(self.startedAt), "in_flight": self.limiter.current,
            ])
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.metrics.exposition())))
        }
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ChatPage.html)))
        }
        return router
    }

    /// A Hummingbird application serving ``buildRouter()`` on the configured address.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swift-ml"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }
        )
    }

    /// Serves until SIGTERM or SIGINT: then stops accepting, lets in-flight requests finish within the grace
    /// period, and closes the model (stopping a managed server).
    public func run(logger: Logger = Logger(label: "ml.serve"), onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = makeApplication(onServerRunning: onServerRunning)
        var group = ServiceGroupConfiguration(
            services: [.init(service: ModelCloser(model: model)), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = configuration.gracePeriod
        try await ServiceGroup(configuration: group).run()
    }

    // MARK: - Completions

    func matches(_ id: String) -> Bool {
        let base = (modelID as NSString).deletingPathExtension
        return id == modelID || id == base || id == model.info.id
    }

    private func complete(_ request: Request, context: BasicRequestContext, chat: Bool) async throws -> Response {
        let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        let parsed = try CompletionRequest.parse(Array(body.readableBytesView), chat: chat, maxTokens: configuration.maxTokens)
        if let requested = parsed.model, !matches(requested) { throw APIError.modelNotFound(requested) }
        guard limiter.acquire() else { throw APIError.overCapacity }
        let slot = Slot(limiter: limiter, metrics: metrics)
        let exchange = Exchange(server: self, request: parsed, chat: chat)
        if parsed.stream {
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { slot.release() }
                try await exchange.stream(into: &writer)
            })
        }
        do {
            // The slot is held until the body has been written (or dropped unsent).
            return try await exchange.wholeResponse(onFinish: { slot.release() })
        } catch {
            slot.release()
            throw error
        }
    }

    func generation(for request: CompletionRequest) -> Generation {
        switch request.input {
        case .messages(let messages): return model.chat(messages, options: request.options)
        case .prompt(let prompt): return model.generate(prompt, options: request.options)
        }
    }

    func recordTokens(_ metrics: GenerateMetrics) {
        self.metrics.tokens(prompt: metrics.promptTokens, completion: metrics.generatedTokens)
    }

    private func modelObject(detailed: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "id": modelID, "object": "model", "created": Int(startedAt.timeIntervalSince1970), "owned_by": "swift-ml",
        ]
        if detailed {
            let info = model.info
            var meta: [String: Any] = ["type": model.modelType, "capacity": model.capacity]
            if let v = info.architecture { meta["architecture"] = v }
            if let v = info.vocabSize { meta["vocab_size"] = v }
            if let v = info.layers { meta["layers"] = v }
            if let v = info.hiddenSize { meta["hidden_size"] = v }
            if let v = info.quantization { meta["quantization"] = v }
            if let v = info.quantizationBits { meta["quantization_bits"] = v }
            if let v = info.quantizationGroupSize { meta["quantization_group_size"] = v }
            if let v = info.contextLength { meta["context_length"] = v }
            object["meta"] = meta
        }
        return object
    }

    func json(_ object: [String: Any]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// One generation slot; released once, when the response ends or is dropped unsent.
final class Slot: Sendable {
    private let limiter: InFlightLimiter
    private let metrics: ServerMetrics
    private let released = Mutex(false)

    init(limiter: InFlightLimiter, metrics: ServerMetrics) {
        self.limiter = limiter
        self.metrics = metrics
        metrics.started()
    }

    func release() {
        let first = released.withLock { released -> Bool in
            defer { released = true }
            return !released
        }
        if first {
            limiter.release()
            metrics.finished()
        }
    }

    deinit { release() }
}

/// Closes the model when the service group shuts down (after the HTTP server has drained).
struct ModelCloser: Service {
    let model: any TextModel

    func run() async throws {
        try? await gracefulShutdown()
        await model.close()
    }
}
