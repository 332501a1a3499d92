import Evaluation
import Inference

/// What a ``ProbeSession`` asks and how: the probes, sampling, concurrency, whether answers are judged and scored,
/// and the content probes.
public struct ProbeSessionSettings: Sendable {
    /// The capability probes.
    public var probeSet: ProbeSet
    /// Sampling of the answers (greedy by default, so runs are comparable).
    public var answerOptions: GenerateOptions
    /// Probes (and, when judged, judge calls) in flight at once.
    public var concurrency: Int
    /// Every probe asked this many times (sample i at seed + i); the first sample is the one judged and scored.
    public var samples: Int
    /// Whether each answer is judged by the capability suite as it arrives and scored by the heuristic scorer.
    public var scoresAnswers: Bool
    /// Whether an answer that failed (`ERROR: …`) is judged too, as the scoring engine judges every item.
    public var judgesFailedAnswers: Bool
    /// Generations (answers and judge calls) in flight at most while judging; nil: ``concurrency``.
    public var slots: Int?
    /// Whether judge calls wait for the last answer (a judge on the answers' own server with the adapter off).
    public var phased: Bool
    /// The last run's answer lengths by probe (UTF-8 bytes): probes are asked longest first.
    public var expectedAnswerBytes: [String: Int]
    /// The content probes, judged by the content suite; nil: none.
    public var contentProbes: [ContentProbe]?

    public init(probeSet: ProbeSet = .builtIn, answerOptions: GenerateOptions = GenerateOptions(maxTokens: 512, temperature: 0),
                concurrency: Int = 8, samples: Int = 1, scoresAnswers: Bool = false, judgesFailedAnswers: Bool = false,
                slots: Int? = nil, phased: Bool = false, expectedAnswerBytes: [String: Int] = [:],
                contentProbes: [ContentProbe]? = nil) {
        self.probeSet = probeSet
        self.answerOptions = answerOptions
        self.concurrency = concurrency
        self.samples = max(1, samples)
        self.scoresAnswers = scoresAnswers
        self.judgesFailedAnswers = judgesFailedAnswers
        self.slots = slots
        self.phased = phased
        self.expectedAnswerBytes = expectedAnswerBytes
        self.contentProbes = contentProbes
    }
}
