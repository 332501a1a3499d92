/// What the report page shows: one value per chart, each present only when its data exists. Built by
/// ``ReportBuilder`` from ``ReportInput`` (pure), rendered by ``ReportPage``, served as JSON at `/report/data`.
package struct ReportData: Sendable, Hashable, Codable {
    /// Capability accuracy per iteration: overall and one chart per category, one series per run.
    package var capability: CapabilitySection?
    /// Probe × checkpoint pass/fail, newest checkpoint first.
    package var matrix: ProbeMatrix?
    /// Judge dimensions per iteration, one chart per suite and dimension, one series per run.
    package var judge: JudgeSection?
    /// Training and validation loss per iteration, one series per run and loss type.
    package var loss: LineChart?
    /// Score files side by side.
    package var comparison: ScoreFileComparison?
    /// The training-data workspace: stages, coverage, workers.
    package var trainingData: TrainingDataSection?
    /// Where the numbers came from.
    package var reproducibility: ReproducibilityPanel?
    /// Problems met while reading the sources (each names its file and, where known, line or field).
    package var problems: [String]

    package init(capability: CapabilitySection? = nil, matrix: ProbeMatrix? = nil, judge: JudgeSection? = nil,
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
package struct LineChart: Sendable, Hashable, Codable {
    package struct Point: Sendable, Hashable, Codable {
        package var x: Double
        package var y: Double
        /// Shown on hover and in the table: what the point is (checkpoint label, counts…).
        package var detail: String
        /// The 95% interval around `y`, drawn as an error bar (Wilson for an accuracy; `nil` when unknown).
        package var low: Double?
        package var high: Double?
        package init(x: Double, y: Double, detail: String, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.detail = detail
            self.low = low
            self.high = high
        }
    }

    package struct Series: Sendable, Hashable, Codable {
        package var name: String
        package var points: [Point]
        package init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// Stable identifier (used by the page and its tests).
    package var id: String
    package var title: String
    package var yLabel: String
    /// The x (iteration) range drawn: the same for every chart of a report.
    package var xMin: Double = 0
    package var xMax: Double = 1
    /// The y range drawn (fixed for bounded scales such as accuracy, else from the data).
    package var yMin: Double
    package var yMax: Double
    package var series: [Series]
    /// A note shown under the chart (e.g. unscored counts).
    package var note: String?

    package init(id: String, title: String, yLabel: String, yMin: Double, yMax: Double, series: [Series],
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
package struct CapabilitySection: Sendable, Hashable, Codable {
    package var overall: LineChart
    /// One chart per category (small multiples), categories in name order.
    package var categories: [LineChart]
}

/// Pass/fail of every probe at every checkpoint.
package struct ProbeMatrix: Sendable, Hashable, Codable {
    package struct Column: Sendable, Hashable, Codable {
        /// `run/label`, or the probe-result file's name.
        package var name: String
        package var iteration: Int?
    }

    package struct Row: Sendable, Hashable, Codable {
        package var probeID: String
        package var category: String
        /// One cell per column: `nil` when the probe was not asked there.
        package var cells: [Cell?]
    }

    package struct Cell: Sendable, Hashable, Codable {
        package var passed: Bool
        /// Index into ``answers`` (identical answers are stored once), nil when no answer was kept.
        package var answer: Int?
        /// From a probe-result file of `ml probe --samples K`: how many of the K answers passed (`passed` is the
        /// first answer's).
        package var samplesPassed: Int?
        package var samples: Int?

        package init(passed: Bool, answer: Int?, samplesPassed: Int? = nil, samples: Int? = nil) {
            self.passed = passed
            self.answer = answer
            self.samplesPassed = samplesPassed
            self.samples = samples
        }
    }

    /// Newest checkpoint first (highest iteration, then run), then probe-result files in the order given.
    package var columns: [Column]
    /// Rows by category, then probe ID.
    package var rows: [Row]
    /// Distinct answers, each cut to ``ReportBuilder/answerLimit`` characters.
    package var answers: [String]
}

/// Judge scores per iteration.
package struct JudgeSection: Sendable, Hashable, Codable {
    /// One chart per suite and dimension.
    package var charts: [LineChart]
    /// Judge verdicts that gave no usable score, per chart ID (never hidden: shown beside each chart).
    package var unscored: [String: Int]
}

/// Score files' model averages side by side: one value column per file, delta = last − first
/// (``Evaluation/ScoreComparison`` of the first and last file).
package struct ScoreFileComparison: Sendable, Hashable, Codable {
    package struct Row: Sendable, Hashable, Codable {
        package var model: String
        package var metric: String
        /// One value per file (nil where the file lacks the metric).
        package var values: [Double?]
        package var delta: Double?
        /// First → last file paired item by item (``PairedComparison``; `nil` without `per_prompt` in both): pairs,
        /// the difference's 95% interval, p, Holm significance and the minimum detectable effect.
        package var paired: Paired?
    }

    package struct Paired: Sendable, Hashable, Codable {
        package var n: Int
        package var low: Double?
        package var high: Double?
        package var pValue: Double?
        package var holmSignificant: Bool
        package var minimumDetectableEffect: Double?
    }

    /// The files' names, in the order given.
    package var files: [String]
    package var rows: [Row]
}

/// The reproducibility record: what produced the numbers.
package struct ReproducibilityPanel: Sendable, Hashable, Codable {
    package struct Entry: Sendable, Hashable, Codable {
        /// Where it was read (the store or a file's name).
        package var source: String
        package var key: String
        package var value: String

        package init(source: String, key: String, value: String) {
            self.source = source
            self.key = key
            self.value = value
        }
    }

    package var entries: [Entry]
}
