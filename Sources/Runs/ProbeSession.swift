import Evaluation
import Inference
import Scoring

/// One probe run of a model, the sequence `ml probe` and the checkpoint agent share: the capability probes (each
/// answer judged by the capability suite as it arrives, when scoring), further samples, the answers scored by the
/// heuristic scorer beside their verdicts, then the content probes judged by the content suite.
///
/// Nothing is printed: each answer goes to `onResult` as it completes and each finished step to `onEvent`, and the
/// value returned holds everything measured. Cancelling the task stops the run (the runners throw
/// `CancellationError`).
public struct ProbeSession: Sendable {
    public var model: any TextModel
    /// The name answers are attributed to (the judge sees it; scoring input lines carry it).
    public var modelName: String
    /// Judges the answers (with ``ProbeSessionSettings/scoresAnswers``) and the content probes; nil: neither runs.
    public var judge: Judge?
    public var settings: ProbeSessionSettings

    public init(model: any TextModel, modelName: String, judge: Judge? = nil, settings: ProbeSessionSettings = ProbeSessionSettings()) {
        self.model = model
        self.modelName = modelName
        self.judge = judge
        self.settings = settings
    }

    /// Runs every step. An error thrown by `onEvent` ends the run with it.
    public func run(
        onResult: @escaping @Sendable (ProbeResult) async -> Void = { _ in },
        onEvent: @escaping @Sendable (ProbeSessionEvent) async throws -> Void = { _ in }
    ) async throws -> ProbeSessionResult {
        let runner = ProbeRunner(model: model, options: settings.answerOptions, concurrency: settings.concurrency)
        var result: ProbeSessionResult
        if settings.scoresAnswers, let judge {
            // Probes and their judge calls share the slots: each answer is judged as soon as it arrives.
            let outcome = try await JudgedProbeRunner(
                probes: runner, judge: judge, slots: settings.slots ?? settings.concurrency,
                judgesFailedAnswers: settings.judgesFailedAnswers, phased: settings.phased,
                expectedAnswerBytes: settings.expectedAnswerBytes
            ).run(settings.probeSet, model: modelName, onResult: onResult)
            result = ProbeSessionResult(report: outcome.report)
            result.judged = outcome.judged
        } else {
            result = ProbeSessionResult(report: try await runner.run(settings.probeSet, onResult: onResult))
        }
        try await onEvent(.answered(result.report))
        if settings.samples > 1 {
            try Task.checkCancellation()
            let more = try await runner.runSamples(settings.probeSet, samples: 1..<settings.samples, onResult: onResult)
            let samples = ProbeSamples(reports: [result.report] + more)
            result.samples = samples
            result.failedSamples = more.flatMap(\.results).filter { $0.error != nil }
            try await onEvent(.sampled(samples, failed: result.failedSamples))
        }
        result.responseItems = result.report.responseItems(model: modelName, set: settings.probeSet)
        try await onEvent(.answersReady(result))
        guard let judge else { return result }
        if settings.scoresAnswers {
            let scored = Self.scoredAnswers(result.responseItems, judged: result.judged)
            result.itemResults = scored
            try await onEvent(.scored(scored))
        }
        if let contentProbes = settings.contentProbes {
            try Task.checkCancellation()
            try await onEvent(.askingContent(count: contentProbes.count))
            result.content = try await ContentProbeRunner(model: model, judge: judge, concurrency: settings.concurrency)
                .run(contentProbes)
        }
        return result
    }

    /// The answers scored by the heuristic scorer, beside their capability verdicts (judged as they arrived), as
    /// the scoring engine's heuristic + capability results: line numbers in answer order.
    public static func scoredAnswers(_ items: [ResponseItem], judged: [String: JudgeVerdict]) -> [ItemResult] {
        items.enumerated().map { index, item in
            ItemResult(line: index + 1, id: item.id, model: item.model, domain: item.domain,
                       heuristic: HeuristicScorer.score(item.response),
                       judges: judged[item.id].map { [JudgeSuite.capability.rawValue: $0] } ?? [:])
        }
    }
}
