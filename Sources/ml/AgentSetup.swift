import Agent
import Evaluation
import Foundation
import LlamaServer
import Logging
import Inference
import MLXServer
import Recording
import Transport

/// The agent's parts, built from its settings: transport, family map, store, InfluxDB recorder, judge, evaluator.
struct AgentSetup: Sendable {
    var transport: any RemoteTransport
    var families: ModelFamilyMap
    var recorder: CheckpointRecorder
    var evaluator: CheckpointEvaluator
    /// With `--backend mlx`: the native MLX evaluator (built on `evaluator`'s probe and judge settings).
    var mlxEvaluator: MLXCheckpointEvaluator?
    /// The evaluator the agent runs.
    var checkpointEvaluator: any CheckpointEvaluating { mlxEvaluator ?? evaluator }
    var judge: AgentJudge
    /// Where the judge runs, for the start-up log.
    var judgeDescription: String {
        switch judge.placement {
        case .sharedServer: "\(judge.description), on each checkpoint's server with the adapter off"
        case .localServer: "\(judge.description), one server shared by every checkpoint"
        case .remote, .given: judge.description
        }
    }
    private var influxClient: InfluxClient?

    static func make(_ settings: AgentSettings, logger: Logger,
                     environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> AgentSetup {
        let transport: any RemoteTransport
        if let host = settings.host {
            transport = try SSHTransport(configuration: SSHConfiguration(
                host: host, user: settings.user, port: settings.port, identityFile: settings.identity,
                knownHostsFile: settings.knownHosts))
        } else {
            guard FileManager.default.fileExists(atPath: settings.adapterBase) else {
                throw AgentError(.configuration, "the adapter base \(settings.adapterBase) does not exist (no --host: it is a local directory)")
            }
            transport = LocalTransport()
        }
        let families = try settings.families.map { try ModelFamilyMap.load(from: $0) } ?? ModelFamilyMap.default()
        guard FileManager.default.fileExists(atPath: settings.baseModel) else {
            throw AgentError(.configuration, "the base model \(settings.baseModel) does not exist (run scripts/setup, or pass --base-model)")
        }
        if settings.backend == "mlx" {
            do {
                try MLXProcess.checkModelDirectory(settings.baseModel)
            } catch {
                throw AgentError(.configuration, "--backend mlx: \(error)", underlying: error)
            }
        }

        for directory in [(settings.db as NSString).deletingLastPathComponent, settings.workDir] where !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw AgentError(.configuration, "cannot create \(directory): \(error.localizedDescription)", underlying: error)
            }
        }
        let store = try ScoreStore(path: settings.db)

        let influxClient = try Self.influxClient(settings, environment: environment)
        let influx = influxClient.map { InfluxRecorder(client: $0, buffer: PointBuffer(path: settings.influxBuffer)) }
        let recorder = CheckpointRecorder(store: store, influx: influx, logger: logger)

        var serverSettings = LlamaServerSettings(executable: LlamaServerSettings.defaultExecutable(environment: environment))
        serverSettings.threads = settings.threads
        serverSettings.contextLength = settings.contextSize
        let judge = AgentJudge(
            settings: AgentJudgeSettings(
                url: settings.judgeURL, modelName: settings.judgeModel, modelPath: settings.judgeModelPath,
                options: GenerateOptions(maxTokens: settings.judgeMaxTokens, temperature: 0.1)),
            baseModelPath: settings.baseModel, serverSettings: serverSettings, concurrency: settings.concurrency,
            environment: environment, logger: logger)
        let evaluator = CheckpointEvaluator(
            baseModelPath: settings.baseModel,
            serverSettings: serverSettings,
            workDirectory: settings.workDir,
            contentProbes: settings.content ? ContentProbe.builtIn : nil,
            judge: judge,
            answerOptions: GenerateOptions(maxTokens: settings.maxTokens, temperature: settings.temperature, seed: 1),
            samples: settings.samples, concurrency: settings.concurrency, logger: logger)
        let mlxEvaluator = settings.backend == "mlx"
            ? MLXCheckpointEvaluator(evaluator: evaluator, baseModelPath: settings.baseModel,
                                     serverSettings: MLXServerSettings(environment: environment))
            : nil
        return AgentSetup(transport: transport, families: families, recorder: recorder, evaluator: evaluator,
                          mlxEvaluator: mlxEvaluator, judge: judge, influxClient: influxClient)
    }

    /// The InfluxDB client of the settings, when `--influx` is given (shared by `ml agent` and `ml ingest`).
    static func influxClient(_ settings: AgentSettings, environment: [String: String], batchSize: Int = 5000) throws
        -> InfluxClient?
    {
        try influxConfiguration(settings, environment: environment, batchSize: batchSize).map { InfluxClient(configuration: $0) }
    }

    /// The InfluxDB of the settings, when `--influx` is given (also what `ml status` and `ml_status` read).
    static func influxConfiguration(_ settings: AgentSettings, environment: [String: String], batchSize: Int = 5000) throws
        -> InfluxConfiguration?
    {
        guard let url = settings.influxURL else { return nil }
        let token = try InfluxToken.resolve(value: settings.influxToken, file: settings.influxTokenFile,
                                            environment: environment)
        return InfluxConfiguration(
            url: url, apiVersion: settings.influxAPI, database: settings.influxDatabase, org: settings.influxOrg,
            bucket: settings.influxBucket ?? settings.influxDatabase, token: token, batchSize: max(1, batchSize))
    }

    /// Stops the shared judge server and the MLX server if they were started and closes the InfluxDB connections.
    func close() async {
        await mlxEvaluator?.close()
        await judge.close()
        await influxClient?.shutdown()
    }
}
