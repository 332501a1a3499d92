import ArgumentParser
import Evaluation
import Foundation
import HTTPStreaming
import Inference
import MLErrors
import ModelFormats
import OpenAIBackend

/// Which model judges: a remote OpenAI-compatible server (`--judge-url`), a local GGUF (`--judge-model-path`), or —
/// with neither — the default local model.
struct JudgeSelection: ParsableArguments {
    @Option(name: .customLong("judge-url"), help: "Base URL of an OpenAI-compatible server to judge with.")
    var judgeURL: String?

    @Option(name: .customLong("judge-model"), help: "With --judge-url: the judge's model name.")
    var judgeModel: String?

    @Option(name: .customLong("judge-model-path"), help: "A local GGUF to judge with (default: the default model).")
    var judgeModelPath: String?

    @Option(name: .customLong("judge-backend"), help: "Local judge backend: llama (GGUF) or mlx (an MLX directory as --judge-model-path).")
    var judgeBackend: String = "llama"

    @Option(name: .customLong("judge-api-key"), help: "API key for --judge-url (default: $OPENAI_API_KEY). Never logged.")
    var judgeAPIKey: String?

    @Option(name: .customLong("judge-reasks"), help: "Extra attempts after an unusable judge reply.")
    var reasks: Int = 1

    @Option(name: .customLong("judge-temperature"), help: "The judge's sampling temperature.")
    var temperature: Double = 0.1

    @Option(name: .customLong("judge-max-tokens"), help: "Most tokens per judge reply.")
    var maxTokens: Int = 384

    @Option(name: .customLong("judge-seed"), help: "The judge's random seed.")
    var seed: UInt64?

    /// The sampler settings judge calls use.
    var options: GenerateOptions { GenerateOptions(maxTokens: maxTokens, temperature: temperature, seed: seed) }

    /// A loaded judge: the model, what to record about it, and whether to close it afterwards.
    struct Loaded {
        var model: any TextModel
        var modelName: String
        /// The judge's base URL as recorded (redacted: no user, password or query).
        var url: String?
        var modelSHA256: String?
        /// Judge calls the model serves at once.
        var capacity: Int
        /// Closed by ``close()`` unless it is shared with the caller.
        var ownedModel: (any TextModel)?

        func close() async { await ownedModel?.close() }
    }

    /// Loads the judge for `concurrency` calls in flight (a remote judge's connections follow it; a cap is reported
    /// through `warn`). `shared` is a model the caller already has loaded from `sharedPath` (a local GGUF); when the
    /// judge would be the same file, it is reused instead of starting a second server.
    func load(concurrency: Int, shared: (model: any TextModel, path: String)? = nil, contextPerSlot: Int? = nil,
              environment: [String: String] = ProcessInfo.processInfo.environment,
              warn: @escaping @Sendable (String) -> Void = { printError("warning: " + $0) }) async throws -> Loaded {
        if let judgeURL {
            let remote = Backends.Remote(urls: [judgeURL], apiKey: judgeAPIKey ?? environment["OPENAI_API_KEY"],
                                         configuration: StreamingHTTPConfiguration(concurrency: concurrency) { warn("judge \($0)") })
            let model = try await Backends.load(path: judgeModel, environment: environment, remote: remote)
            return Loaded(model: model,
                          modelName: judgeModel ?? "default", url: URLRedaction.printable(judgeURL), modelSHA256: nil, capacity: model.capacity,
                          ownedModel: model)
        }
        let path = judgeModelPath ?? BackendOptions.defaultModel(backend: judgeBackend, environment: environment)
        let digest = ModelFingerprint.sha256(path: path, environment: environment)
        let name = (path as NSString).lastPathComponent
        let loaded: Loaded
        if let shared, Self.samePath(shared.path, path) {
            loaded = Loaded(model: shared.model,
                            modelName: name, url: nil, modelSHA256: digest, capacity: shared.model.capacity, ownedModel: nil)
        } else {
            let options = LoadOptions.slots(concurrency, contextPerSlot: contextPerSlot, base: LoadOptions(backend: judgeBackend))
            let model = try await Backends.load(path: path, options: options, environment: environment)
            loaded = Loaded(model: model,
                            modelName: name, url: nil, modelSHA256: digest, capacity: model.capacity, ownedModel: model)
        }
        if let message = ConcurrencyCap.message(requested: concurrency, capacity: loaded.capacity, of: "the judge \(name)") {
            warn(message)
        }
        return loaded
    }

    /// What a scoring run over `suites` needs: the judge loaded when a suite asks for one, and the run's
    /// configuration (which identifies it for resuming).
    func loadForScoring(_ suites: [ScoringSuite], concurrency: Int) async throws
        -> (judge: Loaded?, configuration: ScoringConfiguration)
    {
        let needsJudge = suites.contains { $0.judgeSuite != nil }
        let loaded = needsJudge ? try await load(concurrency: concurrency) : nil
        let configuration = ScoringConfiguration(
            suites: suites, judgeModel: loaded?.modelName, judgeURL: loaded?.url,
            judgeOptions: needsJudge ? options : .judging, maxReasks: needsJudge ? reasks : 0)
        return (loaded, configuration)
    }

    /// The judge of a loaded model, with these settings.
    func judge(_ loaded: Loaded) -> Judge { Judge(model: loaded.model, options: options, maxReasks: reasks) }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).resolvingSymlinksInPath().path == URL(fileURLWithPath: b).resolvingSymlinksInPath().path
    }
}

/// SHA-256 of model files, cached by path, size and modification time under `$SWIFT_ML_HOME/cache`.
enum ModelFingerprint {
    static func sha256(path: String, environment: [String: String]) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int64 ?? (attributes[.size] as? Int).map(Int64.init),
              let modified = attributes[.modificationDate] as? Date
        else { return nil }
        let key = FileDigest.sha256Hex(Data("\(URL(fileURLWithPath: path).standardizedFileURL.path)|\(size)|\(modified.timeIntervalSince1970)".utf8))
        let cacheDirectory = (MLPaths(environment: environment).home as NSString).appendingPathComponent("cache/sha256")
        let cacheFile = (cacheDirectory as NSString).appendingPathComponent(key)
        if let cached = try? String(contentsOfFile: cacheFile, encoding: .utf8), cached.count == 64 { return cached }
        guard let digest = try? FileDigest.sha256Hex(fileAt: path) else { return nil }
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try? digest.write(toFile: cacheFile, atomically: true, encoding: .utf8)
        return digest
    }
}
