import Foundation
import Inference

/// How prompts are answered and how the queue is worked.
package struct ExpansionSettings: Sendable {
    /// Sampler settings (the reference's defaults: temperature 0.7, 2,048 tokens).
    package var options: GenerateOptions
    /// Generations in flight at once.
    package var concurrency: Int
    /// Prompts claimed per claim (at least `concurrency`, so every slot has work).
    package var batch: Int
    /// How long a claim holds its prompts without a heartbeat; heartbeats come every third of it.
    package var lease: Duration
    /// Stop after this many answers (nil: until the queue is empty).
    package var limit: Int?
    /// Keep polling for new prompts when the queue is empty instead of returning.
    package var follow: Bool
    /// Tries per prompt before the queue stops handing it out: a failure of the prompt itself (its request refused
    /// with a 4xx, a reply with no completion) or a lease that expired; an upstream outage spends none.
    package var maxAttempts: Int
    /// Pause between polls when every pending prompt is leased by another worker, or `follow` waits for work.
    package var pollInterval: Duration
    /// How an upstream outage (refused or reset connections, 5xx, cut streams, timeouts) is backed off: delays
    /// from `baseDelay` doubling to `maxDelay`, with jitter; past `totalBudget` of failures with no answer between
    /// them the worker gives up (``DataPipelineErrorCode/upstreamUnavailable``), its prompts left pending.
    package var outage: RetryPolicy

    /// The default outage backoff: 0.5 s doubling to 30 s; a worker gives up after 10 minutes without an answer.
    package static let defaultOutage = RetryPolicy(
        maxAttempts: .max, baseDelay: .milliseconds(500), maxDelay: .seconds(30), totalBudget: .seconds(600))

    package init(options: GenerateOptions = GenerateOptions(maxTokens: 2048, temperature: 0.7), concurrency: Int = 1,
                batch: Int? = nil, lease: Duration = .seconds(60), limit: Int? = nil, follow: Bool = false,
                maxAttempts: Int = 5, pollInterval: Duration = .seconds(1),
                outage: RetryPolicy = ExpansionSettings.defaultOutage) {
        self.options = options
        self.concurrency = max(1, concurrency)
        self.batch = max(batch ?? self.concurrency, self.concurrency)
        self.lease = lease
        self.limit = limit
        self.follow = follow
        self.maxAttempts = max(1, maxAttempts)
        self.pollInterval = pollInterval
        self.outage = outage
    }

    /// The sampler settings as recorded with each answer (sorted-key JSON, absent settings left out; `{}` when one
    /// cannot be written, a NaN). The bytes identify a run's settings: ExpansionSettingsTests pins them.
    package var recordedSettings: String {
        let recorded = RecordedSettings(
            maxTokens: options.maxTokens, seed: options.seed, temperature: options.temperature, topK: options.topK,
            topP: options.topP)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(recorded)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The recorded sampler settings, by their OpenAI names.
    private struct RecordedSettings: Encodable {
        var maxTokens: Int?
        var seed: UInt64?
        var temperature: Double?
        var topK: Int?
        var topP: Double?

        enum CodingKeys: String, CodingKey {
            case maxTokens = "max_tokens", seed, temperature, topK = "top_k", topP = "top_p"
        }
    }
}
