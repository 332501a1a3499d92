/// What the report page shows: one value per chart, each present only when its data exists. Built by
/// ``ReportBuilder`` from ``ReportInput`` (pure), rendered by ``ReportPage``, served as JSON at `/report/data`.
public struct ReportData: Sendable, Hashable, Codable {
    /// Capability accuracy per iteration: overall and one chart per category, one series per run.
    public var capability: CapabilitySection?
    /// Probe × checkpoint pass/fail, newest checkpoint first.
    public var matrix: ProbeMatrix?
    /// Judge dimensions per iteration, one chart per suite and dimension, one series per run.
    public var judge: JudgeSection?
    /// Training and validation loss per iteration, one series per run and loss type.
    public var loss: LineChart?
    /// Score files side by side.
    public var comparison: ScoreFileComparison?
    /// The training-data workspace: stages, coverage, workers.
    public var trainingData: TrainingDataSection?
    /// Where the numbers came from.
    public var reproducibility: ReproducibilityPanel?
    /// Problems met while reading the sources (each names its file and, where known, line or field).
    public var problems: [String]

    public init(capability: CapabilitySection? = nil, matrix: ProbeMatrix? = nil, judge: JudgeSection? = nil,
                loss: LineChart? = nil, comparison: ScoreFileComparison? = nil,
                reproducibility: ReproducibilityPanel? = nil, problems: [String] = []) {
        self.capability = capability
        self.matrix = matrix
        self.judge = judge
        self.loss = loss
        self.comparison = comparison
        self.reproducibility = reproducibility
        self.problems = problems
    }
}

/// Lines over a shared x axis (iteration). Every chart of a report uses the same x range, so curves line up.
public struct LineChart: Sendable, Hashable, Codable {
    public struct Point: Sendable, Hashable, Codable {
        public var x: Double
        public var y: Double
        /// Shown on hover and in the table: what the point is (checkpoint label, counts…).
        public var detail: String
        /// The 95% interval around `y`, drawn as an error bar (Wilson for an accuracy; `nil` when unknown).
        public var low: Double?
        public var high: Double?
        public init(x: Double, y: Double, detail: String, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.detail = detail
            self.low = low
            self.high = high
        }
    }

    public struct Series: Sendable, Hashable, Codable {
        public var name: String
        public var points: [Point]
        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// Stable identifier (used by the page and its tests).
    public var id: String
    public var title: String
    public var yLabel: String
    /// The x (iteration) range drawn: the same for every chart of a report.
    public var xMin: Double = 0
    public var xMax: Double = 1
    /// The y range drawn (fixed for bounded scales such as accuracy, else from the data).
    public var yMin: Double
    public var yMax: Double
    public var series: [Series]
    /// A note shown under the chart (e.g. unscored counts).
    public var note: String?

    public init(id: String, title: String, yLabel: String, yMin: Double, yMax: Double, series: [Series],
                note: String? = nil) {
        self.id = id
        self.title = title
        self.yLabel = yLabel
        self.yMin = yMin
        self.yMax = yMax
        self.series = series
        self.note = note
    }
}

/// Capability accuracy (percent) per iteration.
public struct CapabilitySection: Sendable, Hashable, Codable {
    public var overall: LineChart
    /// One chart per category (small multiples), categories in name order.
    public var categories: [LineChart]
}

/// Pass/fail of every probe at every checkpoint.
public struct ProbeMatrix: Sendable, Hashable, Codable {
    public struct Column: Sendable, Hashable, Codable {
        /// `run/label`, or the probe-result file's name.
        public var name: String
        public var iteration: Int?
    }

    public struct Row: Sendable, Hashable, Codable {
        public var probeID: String
        public var category: String
        /// One cell per column: `nil` when the probe was not asked there.
        public var cells: [Cell?]
    }

    public struct Cell: Sendable, Hashable, Codable {
        public var passed: Bool
        /// Index into ``answers`` (identical answers are stored once), nil when no answer was kept.
        public var answer: Int?
        /// From a probe-result file of `ml probe --samples K`: how many of the K answers passed (`passed` is the
        /// first answer's).
        public var samplesPassed: Int?
        public var samples: Int?

        public init(passed: Bool, answer: Int?, samplesPassed: Int? = nil, samples: Int? = nil) {
            self.passed = passed
            self.answer = answer
            self.samplesPassed = samplesPassed
            self.samples = samples
        }
    }

    /// Newest checkpoint first (highest iteration, then run), then probe-result files in the order given.
    public var columns: [Column]
    /// Rows by category, then probe ID.
    public var rows: [Row]
    /// Distinct answers, each cut to ``ReportBuilder/answerLimit`` characters.
    public var answers: [String]
}

/// Judge scores per iteration.
public struct JudgeSection: Sendable, Hashable, Codable {
    /// One chart per suite and dimension.
    public var charts: [LineChart]
    /// Judge verdicts that gave no usable score, per chart ID (never hidden: shown beside each chart).
    public var unscored: [String: Int]
}

/// Score files' model averages side by side: one value column per file, delta = last − first
/// (``Evaluation/ScoreComparison`` of the first and last file).
public struct ScoreFileComparison: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var model: String
        public var metric: String
        /// One value per file (nil where the file lacks the metric).
        public var values: [Double?]
        public var delta: Double?
        /// First → last file paired item by item (``PairedComparison``; `nil` without `per_prompt` in both): pairs,
        /// the difference's 95% interval, p, Holm significance and the minimum detectable effect.
        public var paired: Paired?
    }

    public struct Paired: Sendable, Hashable, Codable {
        public var n: Int
        public var low: Double?
        public var high: Double?
        public var pValue: Double?
        public var holmSignificant: Bool
        public var minimumDetectableEffect: Double?
    }

    /// The files' names, in the order given.
    public var files: [String]
    public var rows: [Row]
}

/// The reproducibility record: what produced the numbers.
public struct ReproducibilityPanel: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// Where it was read (the store or a file's name).
        public var source: String
        public var key: String
        public var value: String

        public init(source: String, key: String, value: String) {
            self.source = source
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]
}
