import Evaluation
import Foundation
import Inference
import LlamaServer
import MLXServer
import Logging
import MLErrors
import Runs

/// Which model judges the agent's checkpoints (the `--judge-*` settings of `ml agent`): Runs' ``JudgeSettings``.
package typealias AgentJudgeSettings = JudgeSettings

/// Where the checkpoint agent's judge runs, decided once from its settings by Runs' ``JudgePlacement``:
///
/// - the judge model is the base model the adapters were trained on (the default): on each checkpoint's own
///   llama-server, with the adapter switched off per request (``LlamaServerModel/withoutAdapters()``) — one server
///   per checkpoint, the base model in memory once;
/// - another local model: one llama-server for it, started on first use and shared by every checkpoint; while it
///   runs beside a checkpoint's server the two divide the machine's cores (``managedServers``);
/// - a judge URL: that server, shared by every checkpoint;
/// - a ``Judge`` the caller built (tests, fakes).
package actor AgentJudge {
    package typealias Placement = JudgePlacement

    package nonisolated let placement: Placement
    /// What the judge is, for logs (never the API key).
    package nonisolated let description: String
    /// The llama-servers an evaluation runs at once on this machine: 2 while a local judge of another model runs
    /// beside the checkpoint's server, else 1.
    package nonisolated var managedServers: Int { placement.managedServers }

    private let settings: JudgeSettings
    /// The longest reply the judge may write, in tokens (its `maxTokens`; 1,024 when unbounded): room a server that
    /// judges must keep per slot.
    package nonisolated var replyTokens: Int { settings.options.maxTokens ?? 1024 }
    private let given: Judge?
    private let loadShared: (@Sendable () async throws -> any TextModel)?
    private var shared: Task<any TextModel, any Error>?

    /// A judge the caller built; used as is for every checkpoint.
    package init(_ judge: Judge) {
        placement = .given
        description = judge.model.info.id
        settings = JudgeSettings(options: judge.options, maxReasks: judge.maxReasks)
        given = judge
        loadShared = nil
    }

    /// Places the judge of `settings` for adapters trained on `baseModelPath`. `serverSettings` are the checkpoint
    /// servers' (a local judge of another model gets the same executable and its share of the cores);
    /// `concurrency` is the judge calls in flight at most.
    package init(settings: AgentJudgeSettings, baseModelPath: String, serverSettings: LlamaServerSettings,
                concurrency: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger) {
        self.settings = settings
        given = nil
        let placement = JudgePlacement(settings, sharedModelPath: baseModelPath, environment: environment)
        self.placement = placement
        description = JudgePlacement.description(of: settings, environment: environment)
        switch placement {
        case .remote(let url):
            loadShared = {
                try await settings.remoteModel(url: url, concurrency: concurrency, environment: environment) {
                    logger.warning("\($0)")
                }
            }
        case .localServer(let path):
            var judgeSettings = serverSettings.dividingCores(among: 2)
            judgeSettings.loraAdapters = []
            judgeSettings.parallelSlots = max(judgeSettings.parallelSlots, concurrency)
            let serverSettings = judgeSettings
            loadShared = {
                logger.info("starting the judge", metadata: ["judge": "\(path)"])
                return try await LlamaServerModel(modelPath: path, settings: serverSettings)
            }
        case .sharedServer, .given:
            loadShared = nil
        }
    }

    /// The judge for a checkpoint whose answers `checkpointServer` serves with its adapter: a llama-server with
    /// the adapter loaded by `--lora`, or an MLX server with the adapter named per request. The checkpoint's own
    /// server judges with the adapter off.
    package func judge(on checkpointServer: any TextModel) async throws -> Judge {
        if let given { return given }
        let model: any TextModel
        switch placement {
        case .sharedServer:
            if let llama = checkpointServer as? LlamaServerModel {
                model = llama.withoutAdapters()
            } else if let mlx = checkpointServer as? MLXAdapterModel {
                model = mlx.base
            } else {
                throw AgentError(.configuration, "the judge \(description) is the base model, but \(checkpointServer.info.id) cannot answer without its adapter")
            }
        case .localServer, .remote, .given: model = try await sharedModel()
        }
        return settings.judge(on: model)
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
    package func close() async {
        guard let shared else { return }
        self.shared = nil
        await (try? shared.value)?.close()
    }
}

extension JudgePlacement {
    /// The agent's name for ``sharedServer``: the judge is the base model, on each checkpoint's own server.
    package static let checkpointServer = JudgePlacement.sharedServer
}
