import Evaluation
import Foundation
import HTTPStreaming
import Inference
import MLErrors

/// Which model judges a run, and how it samples: a remote OpenAI-compatible server (``url``), a local model
/// (``modelPath``), or — with neither — the default local model. ``JudgePlacement`` decides where it runs.
public struct JudgeSettings: Sendable {
    /// An OpenAI-compatible judge server; when set, the judge runs there.
    public var url: String?
    /// The judge's model name at ``url`` (nil: the server's default).
    public var modelName: String?
    /// For ``url`` (nil: `$OPENAI_API_KEY`). Never logged.
    public var apiKey: String?
    /// A local model to judge with (a GGUF, or with backend `mlx` an MLX directory); nil: the default model.
    public var modelPath: String?
    /// The local judge's backend: `llama` or `mlx`.
    public var backend: String
    /// Sampling of the judge's replies.
    public var options: GenerateOptions
    /// Extra attempts after an unusable judge reply.
    public var maxReasks: Int

    public init(url: String? = nil, modelName: String? = nil, apiKey: String? = nil, modelPath: String? = nil,
                backend: String = "llama", options: GenerateOptions = GenerateOptions(maxTokens: 384, temperature: 0.1),
                maxReasks: Int = 1) {
        self.url = url
        self.modelName = modelName
        self.apiKey = apiKey
        self.modelPath = modelPath
        self.backend = backend
        self.options = options
        self.maxReasks = maxReasks
    }

    /// The local model that judges (the default model when none is given); nil with a judge ``url``.
    public func localModelPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        url == nil ? modelPath ?? ModelLoader.defaultModel(backend: backend, environment: environment) : nil
    }

    /// The judge on `model`, with these settings.
    public func judge(on model: any TextModel) -> Judge { Judge(model: model, options: options, maxReasks: maxReasks) }

    /// The judge server at `url` for `concurrency` calls in flight (its connections follow it; a wait at the limit
    /// is reported through `warn`). The caller closes it.
    public func remoteModel(url: String, concurrency: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
                            warn: @escaping @Sendable (String) -> Void) async throws -> any TextModel {
        let remote = ModelLoader.Remote(
            urls: [url], apiKey: apiKey ?? environment["OPENAI_API_KEY"],
            configuration: StreamingHTTPConfiguration(concurrency: concurrency) { warn("judge \($0)") })
        return try await ModelLoader.load(path: modelName, environment: environment, remote: remote)
    }

    /// Loads the judge for `concurrency` calls in flight where ``JudgePlacement`` puts it. `shared` is a model the
    /// caller already has loaded from a local file; when the judge would be the same file it is reused instead of
    /// starting a second server. A local judge's server gets `contextPerSlot` tokens per slot when given. Caps are
    /// reported through `warn`.
    public func load(concurrency: Int, shared: (model: any TextModel, path: String)? = nil, contextPerSlot: Int? = nil,
                     environment: [String: String] = ProcessInfo.processInfo.environment,
                     warn: @escaping @Sendable (String) -> Void) async throws -> LoadedJudge {
        let loaded: LoadedJudge
        switch JudgePlacement(self, sharedModelPath: shared?.path, environment: environment) {
        case .remote(let url):
            let model = try await remoteModel(url: url, concurrency: concurrency, environment: environment, warn: warn)
            return LoadedJudge(model: model, modelName: modelName ?? "default", url: URLRedaction.printable(url),
                               modelSHA256: nil, capacity: model.capacity, ownedModel: model)
        case .sharedServer, .given:
            guard let shared, let path = localModelPath(environment: environment) else {
                throw RunsError(.configuration, "the judge has no model to share")
            }
            loaded = LoadedJudge(model: shared.model, modelName: (path as NSString).lastPathComponent, url: nil,
                                 modelSHA256: ModelFingerprint.sha256(path: path, environment: environment),
                                 capacity: shared.model.capacity, ownedModel: nil)
        case .localServer(let path):
            let options = LoadOptions.slots(concurrency, contextPerSlot: contextPerSlot, base: LoadOptions(backend: backend))
            let model = try await ModelLoader.load(path: path, options: options, environment: environment)
            loaded = LoadedJudge(model: model, modelName: (path as NSString).lastPathComponent, url: nil,
                                 modelSHA256: ModelFingerprint.sha256(path: path, environment: environment),
                                 capacity: model.capacity, ownedModel: model)
        }
        if let message = ConcurrencyCap.message(requested: concurrency, capacity: loaded.capacity, of: "the judge \(loaded.modelName)") {
            warn(message)
        }
        return loaded
    }

    /// What a scoring run over `suites` needs: the judge loaded when a suite asks for one, and the run's
    /// configuration (which identifies it for resuming). The caller closes the judge.
    public func loadForScoring(_ suites: [ScoringSuite], concurrency: Int,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               warn: @escaping @Sendable (String) -> Void) async throws
        -> (judge: LoadedJudge?, configuration: ScoringConfiguration)
    {
        let needsJudge = suites.contains { $0.judgeSuite != nil }
        let loaded = needsJudge ? try await load(concurrency: concurrency, environment: environment, warn: warn) : nil
        return (loaded, scoringConfiguration(suites, judge: loaded))
    }

    /// The configuration of a scoring run over `suites` judged by `judge` (which identifies it for resuming).
    public func scoringConfiguration(_ suites: [ScoringSuite], judge: LoadedJudge?) -> ScoringConfiguration {
        let needsJudge = suites.contains { $0.judgeSuite != nil }
        return ScoringConfiguration(
            suites: suites, judgeModel: needsJudge ? judge?.modelName : nil, judgeURL: needsJudge ? judge?.url : nil,
            judgeOptions: needsJudge ? options : .judging, maxReasks: needsJudge ? maxReasks : 0)
    }
}
