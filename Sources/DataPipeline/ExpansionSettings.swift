import Foundation
import Inference

/// How prompts are answered and how the queue is worked.
public struct ExpansionSettings: Sendable {
    /// Sampler settings (the reference's defaults: temperature 0.7, 2,048 tokens).
    public var options: GenerateOptions
    /// Generations in flight at once.
    public var concurrency: Int
    /// Prompts claimed per claim (at least `concurrency`, so every slot has work).
    public var batch: Int
    /// How long a claim holds its prompts without a heartbeat; heartbeats come every third of it.
    public var lease: Duration
    /// Stop after this many answers (nil: until the queue is empty).
    public var limit: Int?
    /// Keep polling for new prompts when the queue is empty instead of returning.
    public var follow: Bool
    /// Tries per prompt (a failed generation, or a lease that expired) before the queue stops handing it out.
    public var maxAttempts: Int
    /// Pause between polls when every pending prompt is leased by another worker, or `follow` waits for work.
    public var pollInterval: Duration

    public init(options: GenerateOptions = GenerateOptions(maxTokens: 2048, temperature: 0.7), concurrency: Int = 1,
                batch: Int? = nil, lease: Duration = .seconds(60), limit: Int? = nil, follow: Bool = false,
                maxAttempts: Int = 5, pollInterval: Duration = .seconds(1)) {
        self.options = options
        self.concurrency = max(1, concurrency)
        self.batch = max(batch ?? self.concurrency, self.concurrency)
        self.lease = lease
        self.limit = limit
        self.follow = follow
        self.maxAttempts = max(1, maxAttempts)
        self.pollInterval = pollInterval
    }

    /// The sampler settings as recorded with each answer (sorted-key JSON).
    public var recordedSettings: String {
        var settings: [String: Any] = [:]
        if let temperature = options.temperature { settings["temperature"] = temperature }
        if let maxTokens = options.maxTokens { settings["max_tokens"] = maxTokens }
        if let topP = options.topP { settings["top_p"] = topP }
        if let topK = options.topK { settings["top_k"] = topK }
        if let seed = options.seed { settings["seed"] = seed }
        let data = (try? JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
