import Agent
import Configuration
import Foundation
import Inference
import MLXServer
import Recording

/// Every `ml agent` setting, resolved from three layers (swift-configuration): the command-line flags first, then
/// environment variables (`ML_AGENT_` + the flag's name in capitals, `-` → `_`: `--adapter-base` is
/// `ML_AGENT_ADAPTER_BASE`), then the JSON file given by `--config` (or `ML_AGENT_CONFIG`), whose keys are the flag
/// names (`{"adapter-base": "/data/adapters", "poll": 120}`), then the defaults.
struct AgentSettings: Sendable {
    var host: String?
    var user: String?
    var port: Int?
    var identity: String?
    var knownHosts: String?
    var adapterBase: String
    var filter: String?
    /// `llama` (checkpoints converted to GGUF LoRAs on llama-server) or `mlx` (applied natively on mlx_lm.server).
    var backend: String
    /// The base model: a GGUF file for llama, an MLX model directory for mlx.
    var baseModel: String
    var families: String?
    var db: String
    var influxURL: String?
    var influxDatabase: String
    var influxAPI: InfluxAPIVersion
    var influxOrg: String?
    var influxBucket: String?
    var influxTokenFile: String?
    /// From the environment (`ML_AGENT_INFLUX_TOKEN`) or the configuration file only: never a flag, never logged.
    var influxToken: String?
    var influxBuffer: String
    var judgeURL: String?
    var judgeModel: String?
    var judgeModelPath: String?
    var poll: Double
    var workDir: String
    var maxTokens: Int
    var judgeMaxTokens: Int
    var concurrency: Int
    var content: Bool
    /// An `mlx_lm.lora` log to follow, with the model tag and run id of its points.
    var trainingLog: String?
    var trainingModel: String
    var trainingRunID: String?
    /// llama-server threads per managed server (default: the servers running at once divide the cores).
    var threads: Int? = nil

    /// The keys every layer understands: the long flag names.
    enum Key: String, CaseIterable {
        case host, user, port, identity, filter, families, db, influx, poll, content, concurrency, backend
        case knownHosts = "known-hosts", adapterBase = "adapter-base", baseModel = "base-model"
        case influxDB = "influx-db", influxAPI = "influx-api", influxOrg = "influx-org", influxBucket = "influx-bucket"
        case influxTokenFile = "influx-token-file", influxBuffer = "influx-buffer", influxToken = "influx-token"
        case judgeURL = "judge-url", judgeModel = "judge-model", judgeModelPath = "judge-model-path"
        case workDir = "work-dir", maxTokens = "max-tokens", judgeMaxTokens = "judge-max-tokens"
        case trainingLog = "training-log", trainingModel = "training-model", trainingRunID = "training-run-id"
        case threads

        var configKey: ConfigKey { ConfigKey(rawValue) }
        /// The environment variable that sets this key.
        var environmentVariable: String { "ML_AGENT_" + rawValue.uppercased().replacingOccurrences(of: "-", with: "_") }
    }

    /// Resolves the settings. `flags` holds the values given on the command line, by key.
    /// `needsAdapterBase` is false for commands that only record (`ml ingest`); the adapter base is then "".
    static func resolve(flags: [Key: ConfigValue], configFile: String?, needsAdapterBase: Bool = true,
                        environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> AgentSettings {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags { values[AbsoluteConfigKey(key.configKey)] = value }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ConfigKey("ml.agent")),
        ]
        if let file = configFile ?? environment["ML_AGENT_CONFIG"] {
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
            } catch {
                throw AgentError(.configuration, "cannot read the configuration file \(file): \(error)", underlying: error)
            }
        }
        let reader = ConfigReader(providers: providers)
        return try resolve(reader: reader, environment: environment, needsAdapterBase: needsAdapterBase)
    }

    static func resolve(reader: ConfigReader, environment: [String: String], needsAdapterBase: Bool = true) throws
        -> AgentSettings
    {
        // Flags and environment variables are text; a JSON file may hold numbers and booleans as such.
        func string(_ key: Key) -> String? {
            let text = reader.string(forKey: key.configKey)
                ?? reader.int(forKey: key.configKey).map { String($0) }
                ?? reader.double(forKey: key.configKey).map { String($0) }
                ?? reader.bool(forKey: key.configKey).map { String($0) }
            return text.flatMap { $0.isEmpty ? nil : $0 }
        }
        func int(_ key: Key, _ fallback: Int, minimum: Int) throws -> Int {
            guard let text = string(key) else { return fallback }
            guard let value = Int(text), value >= minimum else {
                throw AgentError(.configuration, "\(key.rawValue) must be a whole number ≥ \(minimum), not \"\(text)\"")
            }
            return value
        }
        let paths = MLPaths(environment: environment)
        let agentHome = (paths.home as NSString).appendingPathComponent("agent")
        guard let adapterBase = string(.adapterBase) ?? (needsAdapterBase ? nil : "") else {
            throw AgentError(.configuration, """
                no adapter base: pass --adapter-base DIR, set ML_AGENT_ADAPTER_BASE, or put "adapter-base" in --config
                """)
        }
        let db = string(.db) ?? (agentHome as NSString).appendingPathComponent("scores.sqlite")
        let pollText = string(.poll) ?? "300"
        guard let poll = Double(pollText), poll > 0, poll.isFinite else {
            throw AgentError(.configuration, "poll must be a positive number of seconds, not \"\(pollText)\"")
        }
        let apiText = string(.influxAPI) ?? "v1"
        guard let api = InfluxAPIVersion(rawValue: apiText.lowercased()) else {
            throw AgentError(.configuration, "influx-api must be v1, v2 or v3, not \"\(apiText)\"")
        }
        let contentText = string(.content)?.lowercased() ?? "false"
        guard let content = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][contentText] else {
            throw AgentError(.configuration, "content must be true or false, not \"\(contentText)\"")
        }
        let port = try string(.port).map { text -> Int in
            guard let port = Int(text), (1...65535).contains(port) else {
                throw AgentError(.configuration, "port must be 1–65535, not \"\(text)\"")
            }
            return port
        }
        let backend = string(.backend)?.lowercased() ?? "llama"
        guard ["llama", "mlx"].contains(backend) else {
            throw AgentError(.configuration, "backend must be llama or mlx, not \"\(backend)\"")
        }
        let threads = try string(.threads).map { _ in try int(.threads, 0, minimum: 1) }
        var settings = AgentSettings(
            host: string(.host), user: string(.user), port: port, identity: string(.identity),
            knownHosts: string(.knownHosts), adapterBase: adapterBase, filter: string(.filter), backend: backend,
            baseModel: string(.baseModel)
                ?? (backend == "mlx" ? MLXServerSettings.defaultModel(environment: environment) : paths.defaultModel),
            families: string(.families), db: db,
            influxURL: string(.influx), influxDatabase: string(.influxDB) ?? "training", influxAPI: api,
            influxOrg: string(.influxOrg), influxBucket: string(.influxBucket), influxTokenFile: string(.influxTokenFile),
            influxToken: reader.string(forKey: Key.influxToken.configKey, isSecret: true),
            influxBuffer: string(.influxBuffer)
                ?? ((db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("influx-buffer.jsonl"),
            judgeURL: string(.judgeURL), judgeModel: string(.judgeModel), judgeModelPath: string(.judgeModelPath),
            poll: poll, workDir: string(.workDir) ?? (agentHome as NSString).appendingPathComponent("work"),
            maxTokens: try int(.maxTokens, 512, minimum: 1), judgeMaxTokens: try int(.judgeMaxTokens, 384, minimum: 1),
            concurrency: try int(.concurrency, 2, minimum: 1), content: content, trainingLog: string(.trainingLog),
            trainingModel: string(.trainingModel) ?? "training", trainingRunID: string(.trainingRunID))
        settings.threads = threads
        return settings
    }
}
