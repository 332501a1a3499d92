import Foundation
import HostAllowlist
import HTTPTypes
import Hummingbird
import Inference
import JSONValues
import Logging
import NIOCore
import OpenAIWire
import ServiceLifecycle
import Synchronization

/// An OpenAI-compatible HTTP server in front of any ``TextModel``: chat and text completions (whole or
/// streamed as server-sent events), model listing, health, Prometheus metrics and a small chat page.
///
/// Safe by default: loopback unless told otherwise, only its own host names (421 for others), a bearer key when configured, bounded bodies, bounded
/// concurrency (429 beyond), and a client that disconnects cancels its generation.
public struct OpenAIServer: Sendable {
    public let model: any TextModel
    /// The model id clients see and must use (e.g. the GGUF file's name).
    public let modelID: String
    public let configuration: ServerConfiguration
    /// Routes other modules add (see ``RouteExtension``).
    public let extensions: [RouteExtension]
    let metrics = ServerMetrics()
    let limiter: InFlightLimiter
    let drain = Drain()
    let startedAt = Date()

    public init(model: any TextModel, modelID: String? = nil, configuration: ServerConfiguration = ServerConfiguration(),
                extensions: [RouteExtension] = []) {
        self.model = model
        self.modelID = modelID ?? model.info.id
        self.configuration = configuration
        self.extensions = extensions
        self.limiter = InFlightLimiter(limit: configuration.maxConcurrent)
    }

    /// Requests generating now.
    public var inFlight: Int { limiter.current }

    // MARK: - Application

    /// The router with every route and middleware.
    public func buildRouter() -> Router<ServeRequestContext> {
        let router = Router(context: ServeRequestContext.self)
        router.add(middleware: AllowedHostsMiddleware(configuration.allowedHosts))
        router.add(middleware: OutcomeMiddleware(metrics: metrics, routes: Self.routes + extensions.flatMap(\.routes)))
        if let origin = configuration.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.accept, .authorization, .contentType, .origin]))
        }
        router.add(middleware: AuthMiddleware(apiKey: configuration.apiKey, protectedPaths: Set(extensions.flatMap(\.protectedPaths))))
        router.post("/v1/chat/completions") { request, context in try await self.complete(request, context: context, chat: true) }
        router.post("/v1/completions") { request, context in try await self.complete(request, context: context, chat: false) }
        router.get("/v1/models") { _, _ in self.json(ModelList(data: [self.modelObject(detailed: false)])) }
        router.get("/v1/models/{id}") { request, context in
            let id = try context.parameters.require("id")
            guard self.matches(id) else { throw APIError.modelNotFound(id) }
            return self.json(self.modelObject(detailed: true))
        }
        router.get("/healthz") { _, _ in
            self.json(Health(
                status: "ok", model: self.modelID,
                uptimeSeconds: Date().timeIntervalSince(self.startedAt), inFlight: self.limiter.current
            ))
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
        for routeExtension in extensions { routeExtension.register(router) }
        return router
    }

    /// Every path and the methods it answers (an unknown method on a known path is a 405 naming them).
    static let routes: [(path: String, methods: [HTTPRequest.Method])] = [
        ("/v1/chat/completions", [.post]), ("/v1/completions", [.post]), ("/v1/models", [.get]),
        ("/v1/models/{id}", [.get]), ("/healthz", [.get]), ("/metrics", [.get]), ("/", [.get]),
    ]

    /// A Hummingbird application serving ``buildRouter()`` on the configured address.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swift-ml"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }
        )
    }

    /// Serves until SIGTERM or SIGINT: then stops accepting, lets in-flight requests finish within the drain
    /// timeout, ends those still running with an error their clients can see, and closes the model (stopping a
    /// managed server).
    public func run(logger: Logger = Logger(label: "ml.serve"), onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await serviceGroup(logger: logger, handlesSignals: true, onServerRunning: onServerRunning).run()
    }

    /// The services of ``run(logger:onServerRunning:)`` (SIGTERM and SIGINT shut it down when `handlesSignals`);
    /// `triggerGracefulShutdown()` on it is what a signal does.
    public func serviceGroup(
        logger: Logger = Logger(label: "ml.serve"), handlesSignals: Bool = false,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let app = makeApplication(onServerRunning: onServerRunning)
        // Shut down in reverse order: the drain starts its clock, the HTTP server stops accepting and waits for
        // its requests, then the model is closed.
        var group = ServiceGroupConfiguration(
            services: [
                .init(service: ModelCloser(model: model)), .init(service: app),
                .init(service: DrainStarter(drain: drain, timeout: configuration.drainTimeout, logger: logger)),
            ],
            gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
            logger: logger
        )
        // Past the drain timeout the remaining requests get their error endings written; only a request stuck
        // even then is cut by the group's cancellation.
        group.maximumGracefulShutdownDuration = configuration.drainTimeout + .seconds(5)
        return ServiceGroup(configuration: group)
    }

    // MARK: - Completions

    func matches(_ id: String) -> Bool {
        let base = (modelID as NSString).deletingPathExtension
        return id == modelID || id == base || id == model.info.id
    }

    private func complete(_ request: Request, context: ServeRequestContext, chat: Bool) async throws -> Response {
        let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        let parsed = try CompletionRequest.parse(Array(body.readableBytesView), chat: chat, maxTokens: configuration.maxTokens)
        if let requested = parsed.model, !matches(requested) { throw APIError.modelNotFound(requested) }
        guard limiter.acquire() else { throw APIError.overCapacity }
        let slot = Slot(limiter: limiter, metrics: metrics)
        let responder = CompletionResponder(server: self, request: parsed, chat: chat)
        if parsed.stream {
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { slot.release() }
                try await responder.stream(into: &writer)
            })
        }
        defer { slot.release() }
        return try await responder.wholeResponse(channel: context.channel)
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

    private func modelObject(detailed: Bool) -> ModelEntry {
        var entry = ModelEntry(id: modelID, ownedBy: "swift-ml", created: Int(startedAt.timeIntervalSince1970))
        if detailed {
            let info = model.info
            var meta: [String: JSONValue] = ["type": .string(model.modelType), "capacity": .int(model.capacity)]
            if let v = info.architecture { meta["architecture"] = .string(v) }
            if let v = info.vocabSize { meta["vocab_size"] = .int(v) }
            if let v = info.layers { meta["layers"] = .int(v) }
            if let v = info.hiddenSize { meta["hidden_size"] = .int(v) }
            if let v = info.quantization { meta["quantization"] = .string(v) }
            if let v = info.quantizationBits { meta["quantization_bits"] = .int(v) }
            if let v = info.quantizationGroupSize { meta["quantization_group_size"] = .int(v) }
            if let v = info.contextLength { meta["context_length"] = .int(v) }
            entry.meta = .object(meta)
        }
        return entry
    }

    func json(_ value: some Encodable) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CompletionResponder.encode(value))))
    }
}

/// The reply of `GET /healthz`.
private struct Health: Encodable {
    var status: String
    var model: String
    var uptimeSeconds: Double
    var inFlight: Int

    enum CodingKeys: String, CodingKey {
        case status, model
        case uptimeSeconds = "uptime_seconds"
        case inFlight = "in_flight"
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

/// Starts the drain's clock when the service group begins to shut down (the first service told).
struct DrainStarter: Service {
    let drain: Drain
    let timeout: Duration
    let logger: Logger

    func run() async {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled rather than shut down: there is no drain to time
        }
        drain.begin(timeout: timeout, logger: logger)
    }
}

/// Closes the model when the service group shuts down (after the HTTP server has drained).
struct ModelCloser: Service {
    let model: any TextModel

    func run() async throws {
        try? await gracefulShutdown()
        await model.close()
    }
}
