import Foundation

/// A seed prompt with its metadata; `source` is where it was read (file:line).
public struct SeedRecord: Sendable, Hashable, Codable {
    public var id: String
    public var prompt: String
    public var region: String?
    public var domain: String?
    public var voice: String?
    public var source: String

    public init(id: String, prompt: String, region: String? = nil, domain: String? = nil, voice: String? = nil,
                source: String) {
        self.id = id
        self.prompt = prompt
        self.region = region
        self.domain = domain
        self.voice = voice
        self.source = source
    }
}

/// A prompt to expand: imported directly, or made from a seed by normalize (`seedID`, `source` = `seed:ID`).
/// Higher `priority` is claimed first.
public struct PromptRecord: Sendable, Hashable, Codable {
    public var id: String
    public var seedID: String?
    public var prompt: String
    public var region: String?
    public var domain: String?
    public var voice: String?
    public var priority: Int
    public var source: String

    public init(id: String, seedID: String? = nil, prompt: String, region: String? = nil, domain: String? = nil,
                voice: String? = nil, priority: Int = 0, source: String) {
        self.id = id
        self.seedID = seedID
        self.prompt = prompt
        self.region = region
        self.domain = domain
        self.voice = voice
        self.priority = priority
        self.source = source
    }
}

/// A prompt with its approved answer: imported (`source` = file:line) or approved from an answer
/// (`promptID` set, `source` = `answer:MODEL`).
public struct GoldenRecord: Sendable, Hashable, Codable {
    public var id: String
    public var prompt: String
    public var response: String
    public var region: String?
    public var domain: String?
    public var voice: String?
    public var promptID: String?
    public var source: String

    public init(id: String, prompt: String, response: String, region: String? = nil, domain: String? = nil,
                voice: String? = nil, promptID: String? = nil, source: String) {
        self.id = id
        self.prompt = prompt
        self.response = response
        self.region = region
        self.domain = domain
        self.voice = voice
        self.promptID = promptID
        self.source = source
    }
}

/// A prompt handed to a worker under its lease.
public struct ClaimedPrompt: Sendable, Hashable {
    public var id: String
    public var prompt: String
    /// Tries of the prompt so far, this claim's included.
    public var attempts: Int

    public init(id: String, prompt: String, attempts: Int = 1) {
        self.id = id
        self.prompt = prompt
        self.attempts = attempts
    }
}

/// A generated answer and where it came from: model name, endpoint or model file, sampler settings (JSON),
/// worker, timing.
public struct AnswerRecord: Sendable, Hashable, Codable {
    public var promptID: String
    public var response: String
    public var model: String
    public var modelSource: String
    public var settings: String
    public var workerID: String
    public var finishReason: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var startedAt: Double
    public var durationSeconds: Double

    public init(promptID: String, response: String, model: String, modelSource: String, settings: String,
                workerID: String, finishReason: String, promptTokens: Int? = nil, completionTokens: Int? = nil,
                startedAt: Double, durationSeconds: Double) {
        self.promptID = promptID
        self.response = response
        self.model = model
        self.modelSource = modelSource
        self.settings = settings
        self.workerID = workerID
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
    }
}

/// An answer as read back for scoring, approval or export, with its prompt's metadata.
public struct AnsweredPrompt: Sendable, Hashable {
    public var promptID: String
    public var prompt: String
    public var response: String
    public var model: String
    public var finishReason: String
    public var region: String?
    public var domain: String?
    public var voice: String?
}

/// One score of one answer: `scorer` is `heuristic` or a judge suite, `source` the scorer's version or judge model.
public struct ScoreRecord: Sendable, Hashable, Codable {
    public var promptID: String
    public var scorer: String
    public var metric: String
    public var value: Double?
    public var detail: String?
    public var source: String

    public init(promptID: String, scorer: String, metric: String, value: Double?, detail: String? = nil,
                source: String) {
        self.promptID = promptID
        self.scorer = scorer
        self.metric = metric
        self.value = value
        self.detail = detail
        self.source = source
    }
}

/// An approval decision on one answer, with the rule that made it.
public struct ApprovalRecord: Sendable, Hashable, Codable {
    public var promptID: String
    public var approved: Bool
    public var rule: String
    public var reason: String?

    public init(promptID: String, approved: Bool, rule: String, reason: String? = nil) {
        self.promptID = promptID
        self.approved = approved
        self.rule = rule
        self.reason = reason
    }
}

/// A worker as the workspace knows it: registered on start, heartbeat while it runs.
public struct WorkerRecord: Sendable, Hashable, Codable {
    public var id: String
    public var host: String
    public var model: String
    public var startedAt: Double
    public var lastHeartbeat: Double
    public var answered: Int
    public var stoppedAt: Double?

    public init(id: String, host: String, model: String, startedAt: Double, lastHeartbeat: Double,
                answered: Int = 0, stoppedAt: Double? = nil) {
        self.id = id
        self.host = host
        self.model = model
        self.startedAt = startedAt
        self.lastHeartbeat = lastHeartbeat
        self.answered = answered
        self.stoppedAt = stoppedAt
    }
}
