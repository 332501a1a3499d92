import MLErrors

/// Why judging, probing or scoring could not start or read its input; the message says it whole (files that cannot
/// be read or written are ``FileError``s, which name the path).
public typealias EvaluationError = ModuleError<EvaluationErrorCode>

/// The codes of ``EvaluationError``.
public struct EvaluationErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone: the CLI prints it after its own prefix, as it always has.
    public static var showsCodeInDescription: Bool { false }

    /// A suite name that is not `all` nor one of ``ScoringSuite``'s.
    public static let unknownSuite = Self(rawValue: "unknown_suite")
    /// Judge suites are enabled but the engine was given no judge.
    public static let missingJudge = Self(rawValue: "missing_judge")
    /// A probe set with duplicate ids, empty fields or unusable checks.
    public static let invalidProbeSet = Self(rawValue: "invalid_probe_set")
    /// A probe-result file that is not the reference's shape.
    public static let invalidProbeResultFile = Self(rawValue: "invalid_probe_result_file")
    /// A file without a `model_averages` object where a score file is expected.
    public static let notAScoreFile = Self(rawValue: "not_a_score_file")
}
