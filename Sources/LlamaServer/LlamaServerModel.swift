import Foundation
import HTTPStreaming
import Inference
import ManagedServer
import ModelFormats
import OpenAIWire

/// A local GGUF model served by a managed ``LlamaProcess``, as a ``TextModel``.
///
/// Generation uses llama-server's native `/completion` endpoint, which streams real token ids; chat renders
/// the model's own chat template (here when it is ChatML, as calibrated against the server at start, else on the
/// server through `/apply-template`) and then completes. If the server dies
/// during a generation, the stream throws within a second; the next request starts a fresh server
/// (``LlamaServerSettings/restartAfterCrash``).
public final class LlamaServerModel: TextModel {
    private struct Instance: ManagedServerInstance {
        let process: LlamaProcess
        let client: StreamingHTTPClient
        /// The model's chat template when it is ChatML, rendered here; nil: the server renders every prompt.
        let chatTemplate: ChatMLTemplate?

        var server: ManagedServerProcess { process.server }
        func shutdownConnections() async { await client.shutdown() }
    }

    public let modelPath: String
    public let settings: LlamaServerSettings
    public let info: ModelInfo
    private let slot: ManagedServerSlot<Instance>

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
        self.slot = ManagedServerSlot(name: "llama-server", modelID: id, supervision: settings.supervision) {
            try await Self.start(model: modelPath, settings: settings)
        }
        _ = try await slot.instance()
    }

    public var modelType: String { info.architecture ?? "llama" }

    public var capacity: Int { settings.parallelSlots }

    /// The running server, if any (for logs, pid and port).
    public var process: LlamaProcess? { slot.current?.process }

    /// How many times a crashed server was replaced.
    public var restarts: Int { slot.restarts }

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
        slot.run { instance, sink in
            try await Self.complete(instance, prompt: prompt, options: options, adapterScales: adapterScales, sink: sink)
        }
    }

    func chat(_ messages: [Message], options: GenerateOptions, adapterScales: [Double]?) -> Generation {
        slot.run { instance, sink in
            let prompt = try await Self.prompt(for: messages, on: instance)
            return try await Self.complete(instance, prompt: prompt, options: options, adapterScales: adapterScales,
                                           sink: sink)
        }
    }

    /// The prompt `chat` completes for `messages`, exactly as the model's chat template renders it.
    func prompt(for messages: [Message]) async throws -> String {
        try await Self.prompt(for: messages, on: try await slot.instance())
    }

    /// The server's own rendering of `messages` (`/apply-template`), whatever ``prompt(for:)`` would use.
    func serverPrompt(for messages: [Message]) async throws -> String {
        try await Self.serverPrompt(for: messages, client: try await slot.instance().client)
    }

    /// Whether chat prompts are rendered here (the model's template is ChatML) rather than by the server.
    var rendersChatLocally: Bool {
        get async throws { try await slot.instance().chatTemplate != nil }
    }

    private static func prompt(for messages: [Message], on instance: Instance) async throws -> String {
        if let template = instance.chatTemplate, ChatMLTemplate.covers(messages) { return template.render(messages) }
        return try await serverPrompt(for: messages, client: instance.client)
    }

    private static func serverPrompt(for messages: [Message], client: StreamingHTTPClient) async throws -> String {
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

    public func close() async { await slot.close() }

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

    /// Starts a server and calibrates its chat template once: if the model's template renders as ChatML, chat
    /// skips `/apply-template`.
    private static func start(model: String, settings: LlamaServerSettings) async throws -> Instance {
        let process = try await LlamaProcess.start(model: model, settings: settings)
        let client = StreamingHTTPClient(
            baseURL: process.baseURL, configuration: .managedServer(parallelSlots: settings.parallelSlots))
        var renderings: [String] = []
        for messages in ChatMLTemplate.calibration {
            guard let text = try? await serverPrompt(for: messages, client: client) else { break }
            renderings.append(text)
        }
        return Instance(process: process, client: client, chatTemplate: ChatMLTemplate.calibrate(rendered: renderings))
    }
}

/// The reply of llama-server's `/apply-template`.
private struct AppliedTemplate: Decodable {
    var prompt: String?
}
