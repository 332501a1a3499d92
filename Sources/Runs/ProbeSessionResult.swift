import Evaluation

/// Everything a ``ProbeSession`` measured, as far as it got.
public struct ProbeSessionResult: Sendable {
    /// The first sample's results, in probe-set order.
    public var report: ProbeReport
    /// The capability verdict of each judged answer, by probe id (empty without scoring).
    public var judged: [String: JudgeVerdict] = [:]
    /// With more than one sample: the tally over every sample.
    public var samples: ProbeSamples?
    /// Answers of the further samples that failed.
    public var failedSamples: [ProbeResult] = []
    /// The first sample's answers as scoring-engine input lines.
    public var responseItems: [ResponseItem] = []
    /// With scoring: each answer's heuristic sub-scores and capability verdict.
    public var itemResults: [ItemResult]?
    /// With content probes: their judged answers.
    public var content: [ContentProbeResult]?

    public init(report: ProbeReport) { self.report = report }

    /// Probes that could not be asked (every sample).
    public var failedProbes: [ProbeResult] { report.results.filter { $0.error != nil } + failedSamples }

    /// What went wrong: probes that could not be asked, answers that could not be scored, content probes unscored.
    public var failures: Int {
        failedProbes.count + (itemResults?.filter(\.failed).count ?? 0)
            + (content?.filter { !$0.verdict.isScored }.count ?? 0)
    }
}
