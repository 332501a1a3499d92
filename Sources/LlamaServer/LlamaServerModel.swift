import Foundation
import Inference
import ManagedServer
import ModelFormats
import OpenAIBackend
import OpenAIWire
import Synchronization

/// A local GGUF model served by a managed ``LlamaProcess``, as a ``TextModel``.
///
/// Generation uses llama-server's native `/completion` endpoint, which streams real token ids; chat renders
/// the model's own chat template (here when it is ChatML, as calibrated against the server at start, else on the
/// server through `/apply-template`) and then completes. If the server dies
/// during a generation, the stream throws within a second; the next request starts a fresh server
/// (``LlamaServerSettings/restartAfterCrash``).
public final class LlamaServerModel: TextModel {
    private struct Instance: Sendable {
        let process: LlamaProcess
        let client: OpenAIClient
        /// The model's chat template when it is ChatML, rendered here; nil: the server renders every prompt.
        let chatTemplate: ChatMLTemplate?
    }

    private struct State {
        var instance: Instance?
        var closed = false
        var restarts = 0
    }

    public let modelPath: String
    public let settings: LlamaServerSettings
    public let info: ModelInfo
    private let state = Mutex(State())
    private let starting = StartGate()

    /// Reads the model's GGUF header (our own reader: a corrupt or truncated file is a clear error before any
    /// process starts), then starts the server and waits until it is ready.
    public init(modelPath: String, settings: LlamaServerSettings = LlamaServerSettings()) async throws {
        guard FileManager.default.isReadableFile(atPath: modelPath) else {
            throw InferenceError(.modelNotFound, "model file '\(modelPath)' does not exist or cannot be read")
        }
        let id = (modelPath as NSString).lastPathComponent
        do {
            let file = try GGUFFile.read(path: modelPath)
            try file.requireKnownTensorTypes()
            self.info = file.modelInfo(id: id)
        } catch let error as ModelFormatError {
            throw InferenceError(.invalidModel, "'\(modelPath)' is not a usable GGUF model: \(error)", underlying: error)
        }
        self.modelPath = modelPath
        self.settings = settings
        _ = try await instance()
    }

    public var modelType: String { info.architecture ?? "llama" }

    public var capacity: Int { settings.parallelSlots }

    /// The running server, if any (for logs, pid and port).
    public var process: LlamaProcess? { state.withLock { $0.instance?.process } }

    /// How many times a crashed server was replaced.
    public var restarts: Int { state.withLock { $0.restarts } }

    public func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        generate(prompt, options: options, adapterScales: nil)
    }

    public func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        chat(messages, options: options, adapterScales: nil)
    }

    /// The same server with the LoRA adapters it loaded scaled by `scales` (by load order) for every request, as a
    /// model of its own: `withAdapterScales([0])` is the base model. The view shares the server — closing it does
    /// nothing; the server stops when this model is closed.
    public func withAdapterScales(_ scales: [Double]) -> any TextModel {
        LlamaAdapterScaledModel(server: self, scales: scales)
    }

    /// The base model on this server: every loaded adapter switched off per request.
    public func withoutAdapters() -> any TextModel {
        withAdapterScales(Array(repeating: 0, count: settings.loraAdapters.count))
    }

    func generate(_ prompt: String, options: GenerateOptions, adapterScales: [Double]?) -> Generation {
        run { instance, sink in
            try await Self.complete(instance, prompt: prompt, options: options, adapterScales: adapterScales, sink: sink)
        }
    }

    func chat(_ messages: [Message], options: GenerateOptions, adapterScales: [Double]?) -> Generation {
        run { instance, sink in
            let prompt = try await Self.prompt(for: messages, on: instance)
            return try await Self.complete(instance, prompt: prompt, options: options, adapterScales: adapterScales,
                                           sink: sink)
        }
    }

    /// The prompt `chat` completes for `messages`, exactly as the model's chat template renders it.
    func prompt(for messages: [Message]) async throws -> String {
        try await Self.prompt(for: messages, on: try await instance())
    }

    /// The server's own rendering of `messages` (`/apply-template`), whatever ``prompt(for:)`` would use.
    func serverPrompt(for messages: [Message]) async throws -> String {
        try await Self.serverPrompt(for: messages, client: try await instance().client)
    }

    /// Whether chat prompts are rendered here (the model's template is ChatML) rather than by the server.
    var rendersChatLocally: Bool {
        get async throws { try await instance().chatTemplate != nil }
    }

    private static func prompt(for messages: [Message], on instance: Instance) async throws -> String {
        if let template = instance.chatTemplate, ChatMLTemplate.covers(messages) { return template.render(messages) }
        return try await serverPrompt(for: messages, client: instance.client)
    }

    private static func serverPrompt(for messages: [Message], client: OpenAIClient) async throws -> String {
        let rendered = try await client.postJSON(
            "/apply-template",
            body: ["messages": messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) }],
            as: AppliedTemplate.self
        )
        guard let prompt = rendered.prompt else {
            throw InferenceError(.serverError, "llama-server's /apply-template returned no prompt")
        }
        return prompt
    }

    public func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult] {
        try await classify(prompts, options: options, adapterScales: nil)
    }

    func classify(_ prompts: [String], options: ClassifyOptions, adapterScales: [Double]?) async throws -> [ClassifyResult] {
        let instance = try await instance()
        var results: [ClassifyResult] = []
        for prompt in prompts {
            var body = LlamaCompletionRequest(
                prompt: prompt,
                options: GenerateOptions(maxTokens: 1, temperature: options.temperature),
                stream: false,
                adapterScales: Self.scales(adapterScales, on: instance)
            )
            body.cachePrompt = Self.cachesPrompt(at: body.adapterScales)
            body.nProbs = max(options.topLogprobs, 1)
            let reply = try await instance.client.postJSON("/completion", body: body, as: LlamaCompletionReply.self)
            let probabilities = reply.completionProbabilities?.first
            let id = reply.tokens?.first ?? probabilities?.id
            let token = Token(id: id, text: reply.content ?? "")
            let top = probabilities?.topLogprobs?.map { TokenLogprob(token: Token(id: $0.id, text: $0.token), logprob: $0.logprob) }
            results.append(ClassifyResult(token: token, logprobs: options.topLogprobs > 0 ? top : nil))
        }
        return results
    }

    public func close() async {
        let instance = state.withLock { state -> Instance? in
            state.closed = true
            defer { state.instance = nil }
            return state.instance
        }
        if let instance {
            // Close our keep-alive connections first: llama-server waits for open connections when stopping.
            await instance.client.shutdown()
            await instance.process.stop()
        }
    }

    deinit {
        // Dropped without close(): still stop the server (its client shuts itself down).
        if let instance = state.withLock({ $0.instance }), instance.process.isRunning {
            kill(instance.process.pid, SIGTERM)
        }
    }

    // MARK: - Internals

    private static func complete(
        _ instance: Instance,
        prompt: String,
        options: GenerateOptions,
        adapterScales: [Double]?,
        sink: GenerationSink
    ) async throws -> GenerationOutcome {
        var body = LlamaCompletionRequest(prompt: prompt, options: options, stream: true,
                                          adapterScales: scales(adapterScales, on: instance))
        body.cachePrompt = cachesPrompt(at: body.adapterScales)
        let request = body
        // Streams straight into this generation's sink: no inner generation, so no extra hop per token.
        return try await instance.client.streamEvents(
            path: "/completion",
            body: request,
            decoder: { LlamaCompletionDecoder() },
            into: sink
        )
    }

    /// The adapter scales a request names: those asked for, else every loaded adapter at the scale `--lora` loaded
    /// it with (1). Always explicit on a server with adapters: a request naming none is not compared with the
    /// scales its slot's cached prompt was computed at.
    private static func scales(_ requested: [Double]?, on instance: Instance) -> [Double]? {
        let loaded = instance.process.settings.loraAdapters.count
        guard loaded > 0 else { return requested }
        return requested ?? Array(repeating: 1, count: loaded)
    }

    /// Whether a request at `scales` may reuse its slot's cached prompt prefix: only with every adapter off.
    ///
    /// Why: llama-server clears a slot's cache when a request's scales differ from the slot's last request's —
    /// except when the last had every adapter off (meant for activated LoRAs, whose prefix is computed without
    /// them), so a prefix computed by the base model would be reused under an adapter (measured on our build:
    /// the adapter's answer changed after the same prompt without it). A prefix computed under an adapter is
    /// cleared before a base request uses it, so base requests — the judge's long shared prompts — keep the cache.
    private static func cachesPrompt(at scales: [Double]?) -> Bool {
        scales?.allSatisfy { $0 == 0 } ?? true
    }

    /// Runs `body` against the server, failing fast when the server process dies meanwhile. A request that
    /// fails before its first token because the server had died is tried once more on a fresh server.
    private func run(_ body: @escaping @Sendable (Instance, GenerationSink) async throws -> GenerationOutcome) -> Generation {
        Generation.start { [self] sink in
            let instance = try await self.instance()
            do {
                return try await Self.attempt(instance, sink: sink, body, onEvent: settings.onEvent)
            } catch {
                guard sink.deliveredTokens == 0, settings.restartAfterCrash, !Task.isCancelled,
                    await instance.process.hasExited(within: .seconds(1))
                else { throw error }
                return try await Self.attempt(try await self.instance(), sink: sink, body, onEvent: settings.onEvent)
            }
        }
    }

    private static func attempt(
        _ instance: Instance,
        sink: GenerationSink,
        _ body: @escaping @Sendable (Instance, GenerationSink) async throws -> GenerationOutcome,
        onEvent: (@Sendable (String) -> Void)?
    ) async throws -> GenerationOutcome {
        let pid = instance.process.pid
        return try await instance.process.server.failingOnExit(
            during: "the generation",
            onExit: { status in onEvent?("llama-server (pid \(pid)) exited with status \(status) during a generation") }
        ) { try await body(instance, sink) }
    }

    /// The running server, starting a fresh one when there is none or the last one died.
    private func instance() async throws -> Instance {
        try await starting.serialize { [self] in
            let current = state.withLock { state -> (Instance?, Bool) in (state.instance, state.closed) }
            if current.1 { throw InferenceError(.closed, "the model \(info.id) is closed") }
            if let instance = current.0 {
                if instance.process.isRunning { return instance }
                guard settings.restartAfterCrash else {
                    throw InferenceError(.serverError, "llama-server exited with status \(instance.process.exitStatus ?? -1) and restarting is disabled")
                }
                await instance.client.shutdown()
                let restarts = state.withLock { state -> Int in
                    state.restarts += 1
                    return state.restarts
                }
                settings.onEvent?(
                    "llama-server (pid \(instance.process.pid)) exited with status \(instance.process.exitStatus ?? -1); starting a fresh one (restart \(restarts))")
            }
            let process = try await LlamaProcess.start(model: modelPath, settings: settings)
            if let previous = current.0 {
                settings.onEvent?("llama-server restarted: pid \(process.pid) replaces pid \(previous.process.pid)")
            }
            let client = OpenAIClient(
                baseURL: process.baseURL, configuration: .managedServer(parallelSlots: settings.parallelSlots))
            // Calibrate once per server: if the model's template renders as ChatML, chat skips /apply-template.
            var renderings: [String] = []
            for messages in ChatMLTemplate.calibration {
                guard let text = try? await Self.serverPrompt(for: messages, client: client) else { break }
                renderings.append(text)
            }
            let instance = Instance(process: process, client: client,
                                    chatTemplate: ChatMLTemplate.calibrate(rendered: renderings))
            state.withLock { $0.instance = instance }
            return instance
        }
    }
}

/// The reply of llama-server's `/apply-template`.
private struct AppliedTemplate: Decodable {
    var prompt: String?
}
