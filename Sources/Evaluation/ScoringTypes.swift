import Inference
import Foundation
import Scoring

/// A scoring suite: the two deterministic scorers and the six judge suites.
public enum ScoringSuite: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case heuristic, exact, semantic, content, capability, truthfulqa, donotanswer, toxigen

    /// The judge suite, for the six judge suites.
    public var judgeSuite: JudgeSuite? { JudgeSuite(rawValue: rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public struct UnknownSuite: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown suite '\(name)' (known: all, \(ScoringSuite.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }

    /// Suites from names (`all`, or names separated by commas), deduplicated, in canonical order.
    public static func parse(_ names: [String]) throws -> [ScoringSuite] {
        var suites = Set<ScoringSuite>()
        for name in names.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where !name.isEmpty {
            if name == "all" {
                suites.formUnion(allCases)
            } else if let suite = ScoringSuite(rawValue: name) {
                suites.insert(suite)
            } else {
                throw UnknownSuite(name: name)
            }
        }
        return suites.sorted()
    }
}

/// One input line: a model's response to a prompt.
public struct ResponseItem: Sendable, Hashable, Codable {
    public var id: String
    public var domain: String?
    public var prompt: String
    public var response: String
    public var model: String
    public var elapsedSeconds: Double?
    public var correctAnswer: String?
    public var bestAnswer: String?
    public var riskArea: String?

    public init(id: String, domain: String? = nil, prompt: String, response: String, model: String,
                elapsedSeconds: Double? = nil, correctAnswer: String? = nil, bestAnswer: String? = nil,
                riskArea: String? = nil) {
        self.id = id
        self.domain = domain
        self.prompt = prompt
        self.response = response
        self.model = model
        self.elapsedSeconds = elapsedSeconds
        self.correctAnswer = correctAnswer
        self.bestAnswer = bestAnswer
        self.riskArea = riskArea
    }

    enum CodingKeys: String, CodingKey {
        case id, domain, prompt, response, model
        case elapsedSeconds = "elapsed_seconds"
        case correctAnswer = "correct_answer"
        case bestAnswer = "best_answer"
        case riskArea = "risk_area"
    }

    /// Decodes leniently where real files vary: ids and answers may be numbers; `null` is absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
            do {
                return try c.decode(String.self, forKey: key)
            } catch DecodingError.typeMismatch {
                // Not a string: a number is accepted below.
            } catch {
                // A string the decoder cannot turn into text, e.g. a lone UTF-16 surrogate escape ("\ud800").
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [key],
                    debugDescription: "'\(key.rawValue)' is a string that is not valid Unicode text (a lone surrogate escape such as \\ud800?)"))
            }
            if let int = try? c.decode(Int.self, forKey: key) { return String(int) }
            if let double = try? c.decode(Double.self, forKey: key) { return String(double) }
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: c.codingPath + [key], debugDescription: "'\(key.rawValue)' is not a string"))
        }
        func required(_ key: CodingKeys) throws -> String {
            guard let value = try text(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "missing key '\(key.rawValue)'"))
            }
            return value
        }
        id = try required(.id)
        prompt = try required(.prompt)
        response = try required(.response)
        model = try required(.model)
        domain = try text(.domain)
        correctAnswer = try text(.correctAnswer)
        bestAnswer = try text(.bestAnswer)
        riskArea = try text(.riskArea)
        elapsedSeconds = try c.decodeIfPresent(Double.self, forKey: .elapsedSeconds)
    }
}

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

/// The configuration that identifies a run for resuming: results are reused only under the same configuration.
public struct ScoringConfiguration: Sendable, Hashable, Codable {
    public static let currentScorerVersion = "swift-ml-scorer/1.0"

    public var suites: [ScoringSuite]
    public var judgeModel: String?
    public var judgeURL: String?
    /// Judge sampling options (temperature, max tokens, seed, …).
    public var judgeOptions: GenerateOptions
    public var maxReasks: Int
    public var scorerVersion: String

    public init(suites: [ScoringSuite], judgeModel: String? = nil, judgeURL: String? = nil,
                judgeOptions: GenerateOptions = .judging, maxReasks: Int = 1,
                scorerVersion: String = ScoringConfiguration.currentScorerVersion) {
        self.suites = Array(Set(suites)).sorted()
        self.judgeModel = judgeModel
        self.judgeURL = judgeURL
        self.judgeOptions = judgeOptions
        self.maxReasks = maxReasks
        self.scorerVersion = scorerVersion
    }

    enum CodingKeys: String, CodingKey {
        case suites
        case judgeModel = "judge_model"
        case judgeURL = "judge_url"
        case judgeOptions = "judge_options"
        case maxReasks = "max_reasks"
        case scorerVersion = "scorer_version"
    }

    /// The canonical JSON (sorted keys) the hash is computed over.
    public var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// FNV-1a 64 of ``canonicalJSON``, as 16 hex digits.
    public var hash: String { Text.fnv1a64(canonicalJSON) }

    public var judgeSuites: [JudgeSuite] { suites.compactMap(\.judgeSuite) }
}

/// Progress of a run, reported periodically.
public struct ScoringProgress: Sendable, Hashable {
    /// Items written to the output.
    public var done: Int
    /// Of those, items with at least one failure.
    public var failed: Int
    /// Input lines read so far (the total, once the input is exhausted).
    public var read: Int
    /// Items reused from the journal.
    public var resumed: Int
    public var inFlight: Int
    public var elapsedSeconds: Double
    public var itemsPerSecond: Double
    /// Whether this is the last report of the run.
    public var finished: Bool
}

/// The outcome of a run.
public struct ScoringSummary: Sendable, Hashable {
    public var items: Int
    public var failed: Int
    public var resumed: Int
    public var judgeCalls: Int
    public var elapsedSeconds: Double
    public var configHash: String
}
