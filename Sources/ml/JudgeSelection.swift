import ArgumentParser
import Evaluation
import Foundation
import Inference
import Runs

/// Which model judges: a remote OpenAI-compatible server (`--judge-url`), a local GGUF (`--judge-model-path`), or —
/// with neither — the default local model. The flags of Runs' ``JudgeSettings``.
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

    /// The judge flags as library settings (where the judge runs is Runs' ``JudgePlacement``).
    var settings: JudgeSettings {
        JudgeSettings(url: judgeURL, modelName: judgeModel, apiKey: judgeAPIKey, modelPath: judgeModelPath,
                      backend: judgeBackend, options: options, maxReasks: reasks)
    }

    /// A loaded judge: the model, what to record about it, and whether to close it afterwards.
    typealias Loaded = LoadedJudge

    /// Loads the judge for `concurrency` calls in flight (a remote judge's connections follow it; a cap is reported
    /// through `warn`). `shared` is a model the caller already has loaded from `sharedPath` (a local GGUF); when the
    /// judge would be the same file, it is reused instead of starting a second server.
    func load(concurrency: Int, shared: (model: any TextModel, path: String)? = nil, contextPerSlot: Int? = nil,
              environment: [String: String] = ProcessInfo.processInfo.environment,
              warn: @escaping @Sendable (String) -> Void = { printError("warning: " + $0) }) async throws -> Loaded {
        try await settings.load(concurrency: concurrency, shared: shared, contextPerSlot: contextPerSlot,
                                environment: environment, warn: warn)
    }

    /// What a scoring run over `suites` needs: the judge loaded when a suite asks for one, and the run's
    /// configuration (which identifies it for resuming).
    func loadForScoring(_ suites: [ScoringSuite], concurrency: Int) async throws
        -> (judge: Loaded?, configuration: ScoringConfiguration)
    {
        try await settings.loadForScoring(suites, concurrency: concurrency) { printError("warning: " + $0) }
    }

    /// The judge of a loaded model, with these settings.
    func judge(_ loaded: Loaded) -> Judge { settings.judge(on: loaded.model) }
}

extension JudgeSelection {
    /// ``loadForScoring(_:concurrency:)`` for `ml score` and `ml data score`: a failure is worded
    /// `loading the judge: …` (printed as `error: …`, exit 1).
    func loadForCommand(_ suites: [ScoringSuite], concurrency: Int) async throws -> (Loaded?, ScoringConfiguration) {
        do {
            return try await loadForScoring(suites, concurrency: concurrency)
        } catch {
            throw CommandError(.input, "loading the judge: \(error)", underlying: error)
        }
    }
}
