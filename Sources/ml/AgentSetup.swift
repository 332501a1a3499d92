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
    var judgeDescription: String
    private var judgeModel: LazyJudgeModel
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

        var judgeArguments = ["--judge-max-tokens", String(settings.judgeMaxTokens)]
        if let url = settings.judgeURL { judgeArguments += ["--judge-url", url] }
        if let model = settings.judgeModel { judgeArguments += ["--judge-model", model] }
        if let path = settings.judgeModelPath { judgeArguments += ["--judge-model-path", path] }
        let selection = try JudgeSelection.parse(judgeArguments)
        let judgeDescription = settings.judgeURL.map { "\($0) (\(settings.judgeModel ?? "default"))" }
            ?? (settings.judgeModelPath ?? MLPaths(environment: environment).defaultModel)
        let judgeModel = LazyJudgeModel(name: "judge", capacity: settings.concurrency) {
            logger.info("starting the judge", metadata: ["judge": "\(judgeDescription)"])
            return try await selection.load(concurrency: settings.concurrency, environment: environment) {
                logger.warning("\($0)")
            }
        }
        let judge = Judge(model: judgeModel, options: selection.options, maxReasks: selection.reasks)

        let evaluator = CheckpointEvaluator(
            baseModelPath: settings.baseModel,
            serverSettings: LlamaServerSettings(executable: LlamaServerSettings.defaultExecutable(environment: environment)),
            workDirectory: settings.workDir,
            contentProbes: settings.content ? ContentProbe.builtIn : nil,
            judge: judge,
            answerOptions: GenerateOptions(maxTokens: settings.maxTokens, temperature: 0, seed: 1),
            concurrency: settings.concurrency, logger: logger)
        let mlxEvaluator = settings.backend == "mlx"
            ? MLXCheckpointEvaluator(evaluator: evaluator, baseModelPath: settings.baseModel,
                                     serverSettings: MLXServerSettings(environment: environment))
            : nil
        return AgentSetup(transport: transport, families: families, recorder: recorder, evaluator: evaluator,
                          mlxEvaluator: mlxEvaluator, judgeDescription: judgeDescription, judgeModel: judgeModel,
                          influxClient: influxClient)
    }

    /// The InfluxDB client of the settings, when `--influx` is given (shared by `ml agent` and `ml ingest`).
    static func influxClient(_ settings: AgentSettings, environment: [String: String], batchSize: Int = 5000) throws
        -> InfluxClient?
    {
        guard let url = settings.influxURL else { return nil }
        let token = try InfluxToken.resolve(value: settings.influxToken, file: settings.influxTokenFile,
                                            environment: environment)
        let configuration = InfluxConfiguration(
            url: url, apiVersion: settings.influxAPI, database: settings.influxDatabase, org: settings.influxOrg,
            bucket: settings.influxBucket ?? settings.influxDatabase, token: token, batchSize: max(1, batchSize))
        return InfluxClient(configuration: configuration)
    }

    /// Stops the judge model and the MLX server if they were started and closes the InfluxDB connections.
    func close() async {
        await mlxEvaluator?.close()
        await judgeModel.close()
        await influxClient?.shutdown()
    }
}
