import Foundation
import Scoring

/// The scored result of one input line: a line of the results stream (and of the journal).
public struct ItemResult: Sendable, Equatable, Codable {
    /// 1-based line number in the input.
    public var line: Int
    public var id: String?
    public var model: String?
    public var domain: String?
    public var heuristic: HeuristicScores?
    /// The exact (GSM8K) verdict.
    public var standard: ExactMatchResult?
    /// Judge verdicts by suite name.
    public var judges: [String: JudgeVerdict]
    /// Why the whole item failed (unreadable line), if it did.
    public var error: String?
    /// Every failure reason of the item (line error, unscored judges).
    public var failures: [String]

    public init(line: Int, id: String? = nil, model: String? = nil, domain: String? = nil,
                heuristic: HeuristicScores? = nil, standard: ExactMatchResult? = nil,
                judges: [String: JudgeVerdict] = [:], error: String? = nil) {
        self.line = line
        self.id = id
        self.model = model
        self.domain = domain
        self.heuristic = heuristic
        self.standard = standard
        self.judges = judges
        self.error = error
        self.failures = []
        recomputeFailures()
    }

    mutating func recomputeFailures() {
        var failures: [String] = []
        if let error { failures.append(error) }
        for (suite, verdict) in judges.sorted(by: { $0.key < $1.key }) {
            if let reason = verdict.reason { failures.append("\(suite): \(reason)") }
        }
        self.failures = failures
    }

    public var failed: Bool { !failures.isEmpty }

    public func verdict(_ suite: JudgeSuite) -> JudgeVerdict? { judges[suite.rawValue] }
}
