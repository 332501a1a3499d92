/// The reference InfluxDB measurements of one scored checkpoint, built from plain inputs:
///
/// - `capability_score` (tags model, run_id, label, category — `overall` included; fields accuracy (percent),
///   correct, total, iteration)
/// - `probe_score` (tags model, run_id, label, probe_id; fields passed, iteration)
/// - `capability_judge` (tags model, run_id, label; fields reasoning, correctness, clarity, avg, iteration)
/// - `content_score` (tags model, run_id, label, dimension; fields score, iteration)
///
/// Timestamps are synthetic: ``baseEpochSeconds`` + iteration × ``iterationStepSeconds`` + a per-series offset
/// below the step, in nanoseconds. Dashboards plot scores by iteration, not by when scoring ran, so a
/// checkpoint re-scored later lands on the same instant (and overwrites its earlier points instead of adding
/// a new one), and every series of one iteration gets its own distinct instant inside that iteration's slot.
public struct CheckpointRecords: Sendable, Hashable {
    /// 2025-01-01T00:00:00Z, in seconds: iteration 0.
    public static let baseEpochSeconds: Int64 = 1_735_689_600
    /// Seconds between two iterations; per-series offsets stay below it.
    public static let iterationStepSeconds: Int64 = 1000

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

        /// `correct / total` in percent; 0 when there were no items.
        public var accuracy: Double { total > 0 ? Double(correct) / Double(total) * 100 : 0 }
    }

    /// One capability probe's result.
    public struct ProbeResult: Sendable, Hashable {
        public var probeID: String
        public var category: String
        public var passed: Bool

        public init(probeID: String, category: String, passed: Bool) {
            self.probeID = probeID
            self.category = category
            self.passed = passed
        }
    }

    /// Averages of the capability judge's scores.
    public struct JudgeAverages: Sendable, Hashable {
        public var reasoning: Double
        public var correctness: Double
        public var clarity: Double
        public var average: Double

        public init(reasoning: Double, correctness: Double, clarity: Double, average: Double) {
            self.reasoning = reasoning
            self.correctness = correctness
            self.clarity = clarity
            self.average = average
        }
    }

    public var run: Run
    /// Per-category results (any order; emitted in sorted-name order).
    public var categories: [CategoryResult]
    /// The `overall` row; the sum of ``categories`` when `nil`.
    public var overall: CategoryResult?
    /// Per-probe results, in the order that fixes their timestamp offsets.
    public var probes: [ProbeResult]
    public var judge: JudgeAverages?
    /// Content scores by dimension.
    public var content: [String: Double]

    public init(
        run: Run,
        categories: [CategoryResult] = [],
        overall: CategoryResult? = nil,
        probes: [ProbeResult] = [],
        judge: JudgeAverages? = nil,
        content: [String: Double] = [:]
    ) {
        self.run = run
        self.categories = categories
        self.overall = overall
        self.probes = probes
        self.judge = judge
        self.content = content
    }

    /// Every point of this checkpoint.
    public func points() throws -> [InfluxPoint] {
        try capabilityScores() + probeScores() + judgeScores() + contentScores()
    }

    /// `capability_score`: `overall` at offset 0, then the categories at 1, 2, … in sorted-name order.
    /// Empty when there are neither categories nor an overall row.
    public func capabilityScores() throws -> [InfluxPoint] {
        let sorted = categories.sorted { $0.category < $1.category }
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

    /// `probe_score`: offset = the probe's index in ``probes``.
    public func probeScores() throws -> [InfluxPoint] {
        try probes.enumerated().map { offset, probe in
            InfluxPoint(
                measurement: "probe_score",
                tags: tags(["probe_id": probe.probeID]),
                fields: [InfluxField("passed", .boolean(probe.passed)), iterationField],
                timestamp: try timestamp(offset: offset)
            )
        }
    }

    /// `capability_judge` at offset 0, when there are judge averages.
    public func judgeScores() throws -> [InfluxPoint] {
        guard let judge else { return [] }
        return [
            InfluxPoint(
                measurement: "capability_judge",
                tags: tags([:]),
                fields: [
                    InfluxField("reasoning", .float(judge.reasoning)),
                    InfluxField("correctness", .float(judge.correctness)),
                    InfluxField("clarity", .float(judge.clarity)),
                    InfluxField("avg", .float(judge.average)),
                    iterationField,
                ],
                timestamp: try timestamp(offset: 0)
            )
        ]
    }

    /// `content_score`: offset = the dimension's index in sorted order.
    public func contentScores() throws -> [InfluxPoint] {
        try content.sorted { $0.key < $1.key }.enumerated().map { offset, entry in
            InfluxPoint(
                measurement: "content_score",
                tags: tags(["dimension": entry.key]),
                fields: [InfluxField("score", .float(entry.value)), iterationField],
                timestamp: try timestamp(offset: offset)
            )
        }
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
