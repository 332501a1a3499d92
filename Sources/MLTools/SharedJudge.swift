import Evaluation
import Runs

/// The judge of one tool server: loaded on first use (a remote server, a local GGUF or the default model, as
/// ``JudgeSettings`` says), shared by every call after it, closed with the server. A failed load is tried again by
/// the next call rather than remembered.
public actor SharedJudge {
    public let settings: JudgeSettings
    /// Judge calls in flight at once (a local judge's server slots).
    public let concurrency: Int
    private var loading: Task<LoadedJudge, any Error>?
    private let warn: @Sendable (String) -> Void

    public init(settings: JudgeSettings, concurrency: Int = 4, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.concurrency = max(1, concurrency)
        self.warn = warn
    }

    /// The loaded judge, loading it the first time.
    public func loaded() async throws -> LoadedJudge {
        if let loading { return try await loading.value }
        let settings = settings, concurrency = concurrency, warn = warn
        let task = Task { try await settings.load(concurrency: concurrency, warn: warn) }
        loading = task
        do {
            return try await task.value
        } catch {
            loading = nil
            throw ToolError(.failed, "loading the judge: \(error)", underlying: error)
        }
    }

    /// The judge and the scoring configuration for `suites`: the judge is loaded only when a suite needs it.
    public func forScoring(_ suites: [ScoringSuite]) async throws -> (judge: Judge?, loaded: LoadedJudge?, configuration: ScoringConfiguration) {
        let needsJudge = suites.contains { $0.judgeSuite != nil }
        let loaded = needsJudge ? try await loaded() : nil
        return (loaded.map { settings.judge(on: $0.model) }, loaded, settings.scoringConfiguration(suites, judge: loaded))
    }

    /// Closes the judge's model if it was loaded.
    public func close() async {
        guard let loading else { return }
        self.loading = nil
        await (try? loading.value)?.close()
    }
}
