import Evaluation
import Foundation
import HTTPStreaming
import Inference
import LlamaServer
import MLXServer
import Logging
import MLErrors
import OpenAIBackend

/// Which model judges the agent's checkpoints (the `--judge-*` settings of `ml agent`).
public struct AgentJudgeSettings: Sendable {
    /// An OpenAI-compatible judge server; when set, the judge runs there.
    public var url: String?
    /// The judge's model name at ``url``.
    public var modelName: String?
    /// Never logged.
    public var apiKey: String?
    /// A local GGUF to judge with; nil: the default model.
    public var modelPath: String?
    /// Sampling of the judge's replies.
    public var options: GenerateOptions
    public var maxReasks: Int

    public init(url: String? = nil, modelName: String? = nil, apiKey: String? = nil, modelPath: String? = nil,
                options: GenerateOptions = GenerateOptions(maxTokens: 384, temperature: 0.1), maxReasks: Int = 1) {
        self.url = url
        self.modelName = modelName
        self.apiKey = apiKey
        self.modelPath = modelPath
        self.options = options
        self.maxReasks = maxReasks
    }
}

/// Where the checkpoint agent's judge runs, decided once from its settings:
///
/// - the judge model is the base model the adapters were trained on (the default): on each checkpoint's own
///   llama-server, with the adapter switched off per request (``LlamaServerModel/withoutAdapters()``) — one server
///   per checkpoint, the base model in memory once;
/// - another local model: one llama-server for it, started on first use and shared by every checkpoint; while it
///   runs beside a checkpoint's server the two divide the machine's cores (``managedServers``);
/// - a judge URL: that server, shared by every checkpoint;
/// - a ``Judge`` the caller built (tests, fakes).
public actor AgentJudge {
    public enum Placement: Sendable, Equatable {
        case checkpointServer
        case localServer(modelPath: String)
        case remote(url: String)
        case given
    }

    public nonisolated let placement: Placement
    /// What the judge is, for logs (never the API key).
    public nonisolated let description: String
    /// The llama-servers an evaluation runs at once on this machine: 2 while a local judge of another model runs
    /// beside the checkpoint's server, else 1.
    public nonisolated var managedServers: Int {
        if case .localServer = placement { return 2 }
        return 1
    }

    private let options: GenerateOptions
    private let maxReasks: Int
    /// The longest reply the judge may write, in tokens (its `maxTokens`; 1,024 when unbounded): room a server that
    /// judges must keep per slot.
    public nonisolated var replyTokens: Int { options.maxTokens ?? 1024 }
    private let given: Judge?
    private let loadShared: (@Sendable () async throws -> any TextModel)?
    private var shared: Task<any TextModel, any Error>?

    /// A judge the caller built; used as is for every checkpoint.
    public init(_ judge: Judge) {
        placement = .given
        description = judge.model.info.id
        options = judge.options
        maxReasks = judge.maxReasks
        given = judge
        loadShared = nil
    }

    /// Places the judge of `settings` for adapters trained on `baseModelPath`. `serverSettings` are the checkpoint
    /// servers' (a local judge of another model gets the same executable and its share of the cores);
    /// `concurrency` is the judge calls in flight at most.
    public init(settings: AgentJudgeSettings, baseModelPath: String, serverSettings: LlamaServerSettings,
                concurrency: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger) {
        options = settings.options
        maxReasks = settings.maxReasks
        given = nil
        if let url = settings.url {
            placement = .remote(url: url)
            description = "\(URLRedaction.printable(url)) (\(settings.modelName ?? "default"))"
            let configuration = StreamingHTTPConfiguration(concurrency: concurrency) { logger.warning("judge \($0)") }
            let apiKey = settings.apiKey ?? environment["OPENAI_API_KEY"]
            loadShared = {
                let client = StreamingHTTPClient(baseURLs: [url], apiKey: apiKey, configuration: configuration)
                return OpenAIModel(client: client, modelName: settings.modelName, ownsClient: true)
            }
            return
        }
        let path = settings.modelPath ?? MLPaths(environment: environment).defaultModel
        description = path
        if Self.samePath(path, baseModelPath) {
            placement = .checkpointServer
            loadShared = nil
        } else {
            placement = .localServer(modelPath: path)
            var judgeSettings = serverSettings.dividingCores(among: 2)
            judgeSettings.loraAdapters = []
            judgeSettings.parallelSlots = max(judgeSettings.parallelSlots, concurrency)
            let serverSettings = judgeSettings
            loadShared = {
                logger.info("starting the judge", metadata: ["judge": "\(path)"])
                return try await LlamaServerModel(modelPath: path, settings: serverSettings)
            }
        }
    }

    /// The judge for a checkpoint whose answers `checkpointServer` serves with its adapter: a llama-server with
    /// the adapter loaded by `--lora`, or an MLX server with the adapter named per request. The checkpoint's own
    /// server judges with the adapter off.
    public func judge(on checkpointServer: any TextModel) async throws -> Judge {
        if let given { return given }
        let model: any TextModel
        switch placement {
        case .checkpointServer:
            if let llama = checkpointServer as? LlamaServerModel {
                model = llama.withoutAdapters()
            } else if let mlx = checkpointServer as? MLXAdapterModel {
                model = mlx.base
            } else {
                throw AgentError(.configuration, "the judge \(description) is the base model, but \(checkpointServer.info.id) cannot answer without its adapter")
            }
        case .localServer, .remote, .given: model = try await sharedModel()
        }
        return Judge(model: model, options: options, maxReasks: maxReasks)
    }

    private func sharedModel() async throws -> any TextModel {
        if shared == nil, let loadShared { shared = Task { try await loadShared() } }
        guard let shared else { throw AgentError(.configuration, "the judge \(description) has no model to load") }
        do {
            return try await shared.value
        } catch {
            self.shared = nil  // the next checkpoint tries again
            throw error
        }
    }

    /// Stops the shared judge server, if one was started, and closes its connections.
    public func close() async {
        guard let shared else { return }
        self.shared = nil
        await (try? shared.value)?.close()
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).resolvingSymlinksInPath().path == URL(fileURLWithPath: b).resolvingSymlinksInPath().path
    }
}
