import Agent
import Configuration
import Foundation
import Inference
import Recording
import Runs
import LocalModels

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
    /// Answers asked per probe (sample i at seed 1 + i): pass rates and pass@K beside the first sample's verdicts.
    var samples: Int = 1
    /// The answers' sampling temperature (0: greedy).
    var temperature: Double = 0
    var content: Bool
    /// An `mlx_lm.lora` log to follow, with the model tag and run id of its points.
    var trainingLog: String?
    var trainingModel: String
    var trainingRunID: String?
    /// llama-server threads per managed server (default: the servers running at once divide the cores).
    var threads: Int? = nil
    /// The checkpoint server's context, divided among its slots (default: sized by ``CheckpointEvaluator``).
    var contextSize: Int? = nil

    /// Resolves the settings. `flags` holds the values given on the command line, by key (``SettingOptions/given``).
    /// `needsAdapterBase` is false for commands that only record (`ml ingest`); the adapter base is then "".
    static func resolve(flags: [String: ConfigValue], configFile: String?, needsAdapterBase: Bool = true,
                        environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> AgentSettings {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags { values[AbsoluteConfigKey(ConfigKey(key))] = value }
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
        // The value of the first layer that holds the key, as text whatever its type there (a typed flag, a JSON
        // number or boolean, a variable); empty text counts as absent. Error messages quote it.
        func text(_ key: String) -> String? {
            let key = ConfigKey(key)
            let text = reader.string(forKey: key) ?? reader.int(forKey: key).map { String($0) }
                ?? reader.double(forKey: key).map(Self.numberText) ?? reader.bool(forKey: key).map { String($0) }
            return text.flatMap { $0.isEmpty ? nil : $0 }
        }
        // A typed value: the first layer's value read as `T` where it is one (a typed flag, a JSON number, a variable
        // swift-configuration parses), else its text parsed by `parse`, else `invalid` of the text.
        func value<T>(_ key: String, _ typed: (ConfigKey) -> T?, parse: (String) -> T?,
                      invalid: (String) -> AgentError) throws -> T? {
            if let value = typed(ConfigKey(key)) { return value }
            guard let text = text(key) else { return nil }
            guard let value = parse(text) else { throw invalid(text) }
            return value
        }
        func int(_ key: String, minimum: Int) throws -> Int? {
            let invalid = { (text: String) in AgentError(.configuration, "\(key) must be a whole number ≥ \(minimum), not \"\(text)\"") }
            let value = try value(key, { reader.int(forKey: $0) }, parse: { Int($0) }, invalid: invalid)
            if let value, value < minimum { throw invalid(text(key) ?? String(value)) }
            return value
        }
        let paths = MLPaths(environment: environment)
        let agentHome = (paths.home as NSString).appendingPathComponent("agent")
        guard let adapterBase = text("adapter-base") ?? (needsAdapterBase ? nil : "") else {
            throw AgentError(.configuration, """
                no adapter base: pass --adapter-base DIR, set ML_AGENT_ADAPTER_BASE, or put "adapter-base" in --config
                """)
        }
        let db = text("db") ?? (agentHome as NSString).appendingPathComponent("scores.sqlite")
        let pollInvalid = { (text: String) in AgentError(.configuration, "poll must be a positive number of seconds, not \"\(text)\"") }
        let poll = try value("poll", { reader.double(forKey: $0) }, parse: { Double($0) }, invalid: pollInvalid) ?? 300
        guard poll > 0, poll.isFinite else { throw pollInvalid(text("poll") ?? Self.numberText(poll)) }
        let apiText = text("influx-api") ?? "v1"
        guard let api = InfluxAPIVersion(rawValue: apiText.lowercased()) else {
            throw AgentError(.configuration, "influx-api must be v1, v2 or v3, not \"\(apiText)\"")
        }
        let content = try value(
            "content", { reader.bool(forKey: $0) },
            parse: { ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][$0.lowercased()] },
            invalid: { AgentError(.configuration, "content must be true or false, not \"\($0.lowercased())\"") }) ?? false
        let portInvalid = { (text: String) in AgentError(.configuration, "port must be 1–65535, not \"\(text)\"") }
        let port = try value("port", { reader.int(forKey: $0) }, parse: { Int($0) }, invalid: portInvalid)
        if let port, !(1...65535).contains(port) { throw portInvalid(text("port") ?? String(port)) }
        let backend = text("backend")?.lowercased() ?? "llama"
        guard ["llama", "mlx"].contains(backend) else {
            throw AgentError(.configuration, "backend must be llama or mlx, not \"\(backend)\"")
        }
        let threads = try int("threads", minimum: 1)
        let contextSize = try int("ctx-size", minimum: 1)
        var settings = AgentSettings(
            host: text("host"), user: text("user"), port: port, identity: text("identity"),
            knownHosts: text("known-hosts"), adapterBase: adapterBase, filter: text("filter"), backend: backend,
            baseModel: text("base-model")
                ?? ModelLoader.defaultModel(backend: backend, environment: environment),
            families: text("families"), db: db,
            influxURL: text("influx"), influxDatabase: text("influx-db") ?? "training", influxAPI: api,
            influxOrg: text("influx-org"), influxBucket: text("influx-bucket"), influxTokenFile: text("influx-token-file"),
            influxToken: reader.string(forKey: ConfigKey("influx-token"), isSecret: true),
            influxBuffer: text("influx-buffer")
                ?? ((db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("influx-buffer.jsonl"),
            judgeURL: text("judge-url"), judgeModel: text("judge-model"), judgeModelPath: text("judge-model-path"),
            poll: poll, workDir: text("work-dir") ?? (agentHome as NSString).appendingPathComponent("work"),
            maxTokens: try int("max-tokens", minimum: 1) ?? 512, judgeMaxTokens: try int("judge-max-tokens", minimum: 1) ?? 384,
            concurrency: try int("concurrency", minimum: 1) ?? 8, content: content, trainingLog: text("training-log"),
            trainingModel: text("training-model") ?? "training", trainingRunID: text("training-run-id"))
        settings.samples = try int("samples", minimum: 1) ?? 1
        let temperatureInvalid = { (text: String) in AgentError(.configuration, "temperature must be a number from 0 to 2, not \"\(text)\"") }
        let temperature = try value("temperature", { reader.double(forKey: $0) }, parse: { Double($0) }, invalid: temperatureInvalid) ?? 0
        guard (0...2).contains(temperature) else { throw temperatureInvalid(text("temperature") ?? Self.numberText(temperature)) }
        settings.temperature = temperature
        settings.threads = threads
        settings.contextSize = contextSize
        return settings
    }

    /// A number as a setting's text: whole numbers without a fraction (`300`, not `300.0`), as a JSON file's `300`
    /// and a flag's `300` read.
    static func numberText(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
