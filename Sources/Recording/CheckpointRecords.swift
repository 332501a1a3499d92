import Evaluation

/// The reference's InfluxDB measurements of one scored checkpoint, built from plain inputs, exactly as
/// `shared/spec/recording.md` states them (tag order, field names and **types**, timestamps):
///
/// | measurement | tags | fields | offset |
/// |---|---|---|---|
/// | `capability_score` | model, run_id, label, category (`overall` first) | accuracy float (percent, 1 decimal), correct int, total int, iteration int | 0, then 1 + byte-wise sorted category index |
/// | `probe_score` | model, run_id, label, probe_id | passed **int** 1/0, iteration int | 100 + 1-based probe position |
/// | `capability_judge` | model, run_id, label, probe_id, category — one per judged probe | reasoning, correctness, clarity, avg float (2 decimals), iteration int | probe position (0-based) |
/// | `content_score` | model, run_id (the content run id), label, dimension, has_kernel=true — one per probe × dimension | score float, iteration int | probe index × 10 + dimension index |
///
/// Timestamps are synthetic: ``baseEpochSeconds`` + iteration × ``iterationStepSeconds`` + offset, in nanoseconds.
/// Dashboards plot scores by iteration, so a checkpoint re-scored later lands on the same instants and overwrites
/// its earlier points instead of adding new ones.
public struct CheckpointRecords: Sendable, Hashable {
    /// 2025-02-15T00:00:00Z, in seconds: the reference's iteration 0.
    public static let baseEpochSeconds: Int64 = 1_739_577_600
    /// Seconds between two iterations; per-series offsets stay below it.
    public static let iterationStepSeconds: Int64 = 1000
    /// The content judge's dimensions in the order that fixes their timestamp offsets.
    public static let contentDimensions = [
        "ccp_compliance", "truth_telling", "engagement", "axiom_integration", "sovereignty_reasoning",
        "emotional_register",
    ]

    /// Which checkpoint was scored.
    public struct Run: Sendable, Hashable {
        public var model: String
        public var runID: String
        public var label: String
        public var iteration: Int

        public init(model: String, runID: String, label: String, iteration: Int) {
            self.model = model
            self.runID = runID
            self.label = label
            self.iteration = iteration
        }

        /// The run id of the content series: the first `-capability-` of ``runID`` replaced by `-content-`.
        public var contentRunID: String {
            guard let range = runID.range(of: "-capability-") else { return runID }
            return runID.replacingCharacters(in: range, with: "-content-")
        }
    }

    /// Capability results of one category (or overall).
    public struct CategoryResult: Sendable, Hashable {
        public var category: String
        public var correct: Int
        public var total: Int

        public init(category: String, correct: Int, total: Int) {
            self.category = category
            self.correct = correct
            self.total = total
        }

        /// `correct / total` in percent, rounded to one decimal as the reference writes it; 0 without items.
        public var accuracy: Double {
            total > 0 ? (Double(correct) / Double(total) * 1000).rounded() / 10 : 0
        }
    }

    /// The capability judge's scores of one probe that it could score.
    public struct JudgedProbe: Sendable, Hashable {
        /// 0-based position of the probe in the run order (its timestamp offset).
        public var index: Int
        public var probeID: String
        public var category: String
        public var reasoning: Double
        public var correctness: Double
        public var clarity: Double

        public init(
            index: Int, probeID: String, category: String, reasoning: Double, correctness: Double, clarity: Double
        ) {
            self.index = index
            self.probeID = probeID
            self.category = category
            self.reasoning = reasoning
            self.correctness = correctness
            self.clarity = clarity
        }

        /// The mean of the three scores.
        public var average: Double { (reasoning + correctness + clarity) / 3 }
    }

    /// The content judge's scores of one content probe.
    public struct ContentProbeScores: Sendable, Hashable {
        /// 0-based position of the probe among the content probes (its timestamp offset × 10).
        public var index: Int
        /// Scores by dimension; dimensions the judge did not score are absent.
        public var scores: [String: Double]

        public init(index: Int, scores: [String: Double]) {
            self.index = index
            self.scores = scores
        }
    }

    public var run: Run
    /// Per-category results (any order; emitted in byte-wise sorted order).
    public var categories: [CategoryResult]
    /// The `overall` row; the sum of ``categories`` when `nil`.
    public var overall: CategoryResult?
    /// Per-probe results (the evaluation's own), in the run order that fixes their timestamp offsets.
    public var probes: [ProbeResult]
    /// The capability judge's scored probes (unusable replies are simply absent).
    public var judged: [JudgedProbe]
    /// The content probes' judge scores.
    public var content: [ContentProbeScores]

    public init(
        run: Run,
        categories: [CategoryResult] = [],
        overall: CategoryResult? = nil,
        probes: [ProbeResult] = [],
        judged: [JudgedProbe] = [],
        content: [ContentProbeScores] = []
    ) {
        self.run = run
        self.categories = categories
        self.overall = overall
        self.probes = probes
        self.judged = judged
        self.content = content
    }

    /// Every point of this checkpoint.
    public func points() throws -> [InfluxPoint] {
        try capabilityScores() + probeScores() + judgeScores() + contentScores()
    }

    /// `capability_score`: `overall` at offset 0, then the categories at 1, 2, … in byte-wise sorted order.
    /// Empty when there are neither categories nor an overall row.
    public func capabilityScores() throws -> [InfluxPoint] {
        let sorted = categories.sorted { Array($0.category.utf8).lexicographicallyPrecedes(Array($1.category.utf8)) }
        if sorted.contains(where: { $0.category == "overall" }) {
            throw RecordingError(
                .invalidInput,
                "'overall' is reserved for the overall capability row, not a category name"
            )
        }
        guard !sorted.isEmpty || overall != nil else { return [] }
        let overall =
            self.overall.map { CategoryResult(category: "overall", correct: $0.correct, total: $0.total) }
            ?? CategoryResult(
                category: "overall",
                correct: sorted.reduce(0) { $0 + $1.correct },
                total: sorted.reduce(0) { $0 + $1.total }
            )
        return try ([overall] + sorted).enumerated().map { offset, result in
            InfluxPoint(
                measurement: "capability_score",
                tags: tags(["category": result.category]),
                tagOrder: ["model", "run_id", "label", "category"],
                fields: [
                    InfluxField("accuracy", .float(result.accuracy)),
                    InfluxField("correct", .integer(Int64(result.correct))),
                    InfluxField("total", .integer(Int64(result.total))),
                    iterationField,
                ],
                timestamp: try timestamp(offset: offset)
            )
        }
    }

    /// `probe_score`: `passed` as the integer 1 or 0, at offset 100 + the probe's 1-based position in ``probes``.
    public func probeScores() throws -> [InfluxPoint] {
        try probes.enumerated().map { index, probe in try Self.probeScore(probe, position: index + 1, run: run) }
    }

    /// One `probe_score` point; `position` is the probe's 1-based position in the run order.
    public static func probeScore(_ probe: ProbeResult, position: Int, run: Run) throws -> InfluxPoint {
        InfluxPoint(
            measurement: "probe_score",
            tags: ["model": run.model, "run_id": run.runID, "label": run.label, "probe_id": probe.id],
            tagOrder: ["model", "run_id", "label", "probe_id"],
            fields: [
                InfluxField("passed", .integer(probe.passed ? 1 : 0)),
                InfluxField("iteration", .integer(Int64(run.iteration))),
            ],
            timestamp: try timestamp(iteration: run.iteration, offset: 100 + position)
        )
    }

    /// `capability_judge`: one point per judged probe, at the probe's 0-based position.
    public func judgeScores() throws -> [InfluxPoint] {
        try judged.map { probe in
            InfluxPoint(
                measurement: "capability_judge",
                tags: tags(["probe_id": probe.probeID, "category": probe.category]),
                tagOrder: ["model", "run_id", "label", "probe_id", "category"],
                fields: [
                    InfluxField("reasoning", .float(Self.twoDecimals(probe.reasoning))),
                    InfluxField("correctness", .float(Self.twoDecimals(probe.correctness))),
                    InfluxField("clarity", .float(Self.twoDecimals(probe.clarity))),
                    InfluxField("avg", .float(Self.twoDecimals(probe.average))),
                    iterationField,
                ],
                timestamp: try timestamp(offset: probe.index)
            )
        }
    }

    /// `content_score`: one point per content probe × dimension under the content run id, at offset
    /// probe index × 10 + the dimension's index in ``contentDimensions``. Other dimensions are not the
    /// reference's and are not written.
    public func contentScores() throws -> [InfluxPoint] {
        var points: [InfluxPoint] = []
        for probe in content {
            for (j, dimension) in Self.contentDimensions.enumerated() {
                guard let score = probe.scores[dimension] else { continue }
                points.append(
                    InfluxPoint(
                        measurement: "content_score",
                        tags: [
                            "model": run.model, "run_id": run.contentRunID, "label": run.label,
                            "dimension": dimension, "has_kernel": "true",
                        ],
                        tagOrder: ["model", "run_id", "label", "dimension", "has_kernel"],
                        fields: [InfluxField("score", .float(score)), iterationField],
                        timestamp: try timestamp(offset: probe.index * 10 + j)
                    ))
            }
        }
        return points
    }

    /// Nanoseconds of `baseEpochSeconds + iteration × iterationStepSeconds + offset`.
    public static func timestamp(iteration: Int, offset: Int) throws -> Int64 {
        guard offset >= 0, Int64(offset) < iterationStepSeconds else {
            throw RecordingError(
                .invalidInput,
                "series offset \(offset) does not fit in one iteration (at most \(iterationStepSeconds - 1) series)"
            )
        }
        guard iteration >= 0 else { throw RecordingError(.invalidInput, "iteration \(iteration) is negative") }
        let (step, overflow1) = Int64(iteration).multipliedReportingOverflow(by: iterationStepSeconds)
        let (seconds, overflow2) = step.addingReportingOverflow(baseEpochSeconds + Int64(offset))
        let (nanoseconds, overflow3) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow1, !overflow2, !overflow3 else {
            throw RecordingError(.invalidInput, "iteration \(iteration) is too large for a nanosecond timestamp")
        }
        return nanoseconds
    }

    /// `value` rounded to two decimals, as the reference writes judge scores.
    static func twoDecimals(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    private func timestamp(offset: Int) throws -> Int64 {
        try Self.timestamp(iteration: run.iteration, offset: offset)
    }

    private func tags(_ extra: [String: String]) -> [String: String] {
        var tags = ["model": run.model, "run_id": run.runID, "label": run.label]
        tags.merge(extra) { _, new in new }
        return tags
    }

    private var iterationField: InfluxField { InfluxField("iteration", .integer(Int64(run.iteration))) }
}
