import Foundation
import MLErrors

/// Turns one line of the reference's result files into InfluxDB points and score-store rows, as the reference's
/// `ingest` did (shared/spec/recording.md, "Ingesting existing files") but with stable timestamps
/// (``CheckpointRecords/timestamp(iteration:offset:)``), so ingesting a file twice overwrites instead of doubling:
///
/// - a content-score line (`label`, `aggregates {dim: number}`, `probes {id: {scores {dim: number}}}`):
///   `content_score` per aggregate dimension and `probe_score` per probe × dimension, both tagged
///   `has_kernel`, with the field `score` as a float; offset = the dimension's index (the content judge's order,
///   then others sorted);
/// - a capability line (`label`, `accuracy`, `correct`, `total`, `by_category`): `capability_score` overall and
///   per category, exactly as the agent writes it.
public enum ReferenceIngest {
    /// What one line gives.
    public struct Lines: Sendable {
        public var points: [InfluxPoint] = []
        public var judgeScores: [JudgeScoreRecord] = []
        public var checkpoint: CheckpointScore?
    }

    /// Why a line could not be ingested: its message alone is its description (`ml ingest` prints it after the
    /// file and line).
    public typealias LineError = ModuleError<LineErrorCode>

    /// The code of every ``LineError``.
    public struct LineErrorCode: ErrorCode {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static var showsCodeInDescription: Bool { false }

        /// A line that is not what its file kind holds.
        public static let unreadableLine = Self(rawValue: "unreadable_line")
    }

    /// The integer after the label's last `@` (`G12 @0000100` → 100); 0 when there is none. A number past the
    /// largest integer is an error, never 0.
    public static func iteration(ofLabel label: String) throws -> Int {
        guard let at = label.lastIndex(of: "@") else { return 0 }
        let digits = label[label.index(after: at)...].prefix { $0.isASCII && $0.isNumber }
        if digits.isEmpty { return 0 }
        guard let iteration = Int(digits) else {
            throw LineError(.unreadableLine, "the label's iteration \(InputExcerpt.of(digits)) is past the largest integer")
        }
        return iteration
    }

    /// `true` when the label contains `kernel` (any case) or `LEK`.
    public static func hasKernel(label: String) -> Bool {
        label.lowercased().contains("kernel") || label.contains("LEK")
    }

    /// A content-score line.
    public static func content(_ line: String, model: String, runID: String) throws -> Lines {
        let object = try parseObject(line)
        let label = try string(object, "label")
        let iteration = try iteration(ofLabel: label)
        let kernel = hasKernel(label: label) ? "true" : "false"
        var result = Lines()
        func point(_ measurement: String, _ tags: [String: String], _ order: [String], _ score: Double, _ offset: Int)
            throws -> InfluxPoint
        {
            InfluxPoint(
                measurement: measurement, tags: tags, tagOrder: order,
                fields: [InfluxField("score", .float(score)), InfluxField("iteration", .integer(Int64(iteration)))],
                timestamp: try CheckpointRecords.timestamp(iteration: iteration, offset: offset))
        }
        if case .object(let aggregates)? = object["aggregates"] {
            let scores = aggregates.compactMapValues(\.doubleValue)
            for (offset, dimension) in orderedDimensions(scores.keys).enumerated() {
                guard let score = scores[dimension] else { continue }
                result.points.append(
                    try point(
                        "content_score",
                        ["model": model, "run_id": runID, "label": label, "dimension": dimension, "has_kernel": kernel],
                        ["model", "run_id", "label", "dimension", "has_kernel"], score, offset))
            }
        } else if object["aggregates"] != nil {
            throw LineError(.unreadableLine, "\"aggregates\" is not an object")
        }
        if case .object(let probes)? = object["probes"] {
            for (probeID, probe) in probes.sorted(by: { $0.key < $1.key }) {
                guard case .object(let entry) = probe, case .object(let raw)? = entry["scores"] else { continue }
                let scores = raw.compactMapValues(\.doubleValue)
                for (offset, dimension) in orderedDimensions(scores.keys).enumerated() {
                    guard let score = scores[dimension] else { continue }
                    result.points.append(
                        try point(
                            "probe_score",
                            [
                                "model": model, "run_id": runID, "label": label, "probe_id": probeID,
                                "dimension": dimension, "has_kernel": kernel,
                            ],
                            ["model", "run_id", "label", "probe_id", "dimension", "has_kernel"], score, offset))
                    result.judgeScores.append(
                        JudgeScoreRecord(
                            runID: runID, label: label, model: model, iteration: iteration, suite: "content",
                            probeID: probeID, dimension: dimension, score: score))
                }
            }
        } else if object["probes"] != nil {
            throw LineError(.unreadableLine, "\"probes\" is not an object")
        }
        try checkEncodable(result.points)
        return result
    }

    /// A capability line.
    public static func capability(_ line: String, model: String, runID: String) throws -> Lines {
        let object = try parseObject(line)
        let label = try string(object, "label")
        let iteration = try iteration(ofLabel: label)
        let correct = try count(object, "correct"), total = try count(object, "total")
        var categories: [CheckpointRecords.CategoryResult] = []
        if case .object(let byCategory)? = object["by_category"] {
            for (name, value) in byCategory {
                guard case .object(let counts) = value else {
                    throw LineError(.unreadableLine, "by_category \"\(InputExcerpt.of(name))\" is not an object")
                }
                categories.append(.init(category: name, correct: try count(counts, "correct"), total: try count(counts, "total")))
            }
        }
        let overall = CheckpointRecords.CategoryResult(category: "overall", correct: correct, total: total)
        let records = CheckpointRecords(
            run: .init(model: model, runID: runID, label: label, iteration: iteration), categories: categories,
            overall: overall)
        var result = Lines()
        do {
            result.points = try records.capabilityScores()
        } catch let error as RecordingError {
            throw LineError(.unreadableLine, error.message, underlying: error)
        }
        try checkEncodable(result.points)
        result.checkpoint = CheckpointScore(
            runID: runID, label: label, model: model, iteration: iteration, accuracy: overall.accuracy,
            correct: correct, total: total)
        return result
    }

    /// The content judge's dimensions first, in their order, then any others sorted.
    static func orderedDimensions(_ keys: some Sequence<String>) -> [String] {
        let present = Set(keys)
        let known = CheckpointRecords.contentDimensions.filter(present.contains)
        return known + present.subtracting(known).sorted()
    }

    /// Fails the line whose points InfluxDB could not take (a label ending in a backslash), so the file's other
    /// lines are still written.
    private static func checkEncodable(_ points: [InfluxPoint]) throws {
        do {
            _ = try LineProtocol.lines(points)
        } catch let error as RecordingError {
            throw LineError(.unreadableLine, error.message, underlying: error)
        }
    }

    private static func parseObject(_ line: String) throws -> [String: InfluxValue] {
        let value: InfluxValue
        do {
            value = try JSONDecoder().decode(InfluxValue.self, from: Data(line.utf8))
        } catch {
            throw LineError(.unreadableLine, "not valid JSON", underlying: error)
        }
        guard case .object(let object) = value else { throw LineError(.unreadableLine, "not a JSON object") }
        return object
    }

    private static func string(_ object: [String: InfluxValue], _ key: String) throws -> String {
        guard case .string(let value)? = object[key], !value.isEmpty else {
            throw LineError(.unreadableLine, "\"\(key)\" is missing or not a non-empty string")
        }
        return value
    }

    private static func count(_ object: [String: InfluxValue], _ key: String) throws -> Int {
        guard let value = object[key]?.intValue, value >= 0, value <= Int64(Int32.max) else {
            throw LineError(.unreadableLine, "\"\(key)\" is missing or not a whole number ≥ 0")
        }
        return Int(value)
    }
}
