import Foundation
import Inference

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
    public var hash: String { FNV1a.hash64(canonicalJSON) }

    public var judgeSuites: [JudgeSuite] { suites.compactMap(\.judgeSuite) }
}
