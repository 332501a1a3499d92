import Foundation
import JSONValues
import Scoring
import Statistics

/// What a score file records about how it was produced.
public struct ScoreFileMetadata: Sendable, Hashable {
    public var configuration: ScoringConfiguration
    /// SHA-256 of a local judge model file, when known.
    public var judgeModelSHA256: String?
    public var scoredAt: Date

    public init(configuration: ScoringConfiguration, judgeModelSHA256: String? = nil, scoredAt: Date = Date()) {
        self.configuration = configuration
        self.judgeModelSHA256 = judgeModelSHA256
        self.scoredAt = scoredAt
    }
}

/// Builds the reference-shaped score file from a results stream:
/// `{"metadata": {…}, "model_averages": {model: {metric: double}}, "per_prompt": {model: [{id, model, heuristic?,
/// semantic?, content?, standard?, …}]}}`.
///
/// Averages are over present values only: an absent metric or an unscored judge verdict is left out, never zero.
/// Heuristic metrics keep their names (`lek_score`, …); judge metrics are named by ``averageName(suite:key:)`` (`sovereignty`, `capability_reasoning`);
/// the exact verdicts give `exact_accuracy`. ``ScoreFileBuilder`` writes it in one pass over the results.
public enum ScoreFile {
    /// Running sums of one model. The heuristic and exact metrics, present on every item of those suites, are kept
    /// in fixed slots (a dictionary lookup per metric per item cost as much as scoring); judge metrics by name.
    struct Sums {
        static let fixedNames = ["compliance_markers", "formulaic_preamble", "first_person", "creative_form",
                                 "engagement_depth", "emotional_register", "degeneration", "empty_broken", "lek_score",
                                 "exact_accuracy"]
        var fixedTotal = [Double](repeating: 0, count: fixedNames.count)
        var fixedCount = [Int](repeating: 0, count: fixedNames.count)
        var fixedSpread = [RunningSummary](repeating: RunningSummary(), count: fixedNames.count)
        var total: [String: Double] = [:]
        var count: [String: Int] = [:]
        var spread: [String: RunningSummary] = [:]
        mutating func add(_ metric: String, _ value: Double) {
            total[metric, default: 0] += value
            count[metric, default: 0] += 1
            spread[metric, default: RunningSummary()].add(value)
        }
        mutating func add(fixed slot: Int, _ value: Double) {
            fixedTotal[slot] += value
            fixedCount[slot] += 1
            fixedSpread[slot].add(value)
        }
        /// Each metric's count, mean and standard error. (The averages above stay plain sums over counts, so
        /// `model_averages` keeps the exact values it always had; the running summaries are kept beside them.)
        var statistics: [String: SampleSummary] {
            var statistics = spread.mapValues(\.summary)
            for (slot, name) in Self.fixedNames.enumerated() where fixedCount[slot] > 0 {
                statistics[name] = fixedSpread[slot].summary
            }
            return statistics
        }
        var averages: [String: Double] {
            var averages = Dictionary(uniqueKeysWithValues: total.compactMap { key, sum in count[key].map { (key, sum / Double($0)) } })
            for (slot, name) in Self.fixedNames.enumerated() where fixedCount[slot] > 0 {
                averages[name] = fixedTotal[slot] / Double(fixedCount[slot])
            }
            return averages
        }
    }

    /// The metrics of one result, added to `sums`.
    static func accumulate(_ result: ItemResult, into sums: inout Sums) {
        if let h = result.heuristic {
            sums.add(fixed: 0, Double(h.complianceMarkers))
            sums.add(fixed: 1, Double(h.formulaicPreamble))
            sums.add(fixed: 2, Double(h.firstPerson))
            sums.add(fixed: 3, Double(h.creativeForm))
            sums.add(fixed: 4, Double(h.engagementDepth))
            sums.add(fixed: 5, Double(h.emotionalRegister))
            sums.add(fixed: 6, Double(h.degeneration))
            sums.add(fixed: 7, Double(h.emptyBroken))
            sums.add(fixed: 8, h.lekScore)
        }
        if let standard = result.standard { sums.add(fixed: 9, standard.correct ? 1 : 0) }
        for (name, verdict) in result.judges {
            guard let suite = JudgeSuite(rawValue: name), let scores = verdict.scores else { continue }
            for key in suite.numericKeys {
                if case .number(let value)? = scores[key] { sums.add(averageName(suite: suite, key: key), value) }
            }
        }
    }

    /// The `model_averages` name of a judge key: the reference's where it has the metric (semantic keys bare,
    /// content keys bare but `content_emotional_register`, as the heuristic owns `emotional_register`), else
    /// `<suite>_<key>`, which cannot collide with those.
    public static func averageName(suite: JudgeSuite, key: String) -> String {
        switch suite {
        case .semantic: return key
        case .content: return key == "emotional_register" ? "content_emotional_register" : key
        default: return "\(suite.rawValue)_\(key)"
        }
    }

    /// `model_averages` of a sequence of results.
    public static func modelAverages(_ results: some Sequence<ItemResult>) -> [String: [String: Double]] {
        var sums: [String: Sums] = [:]
        for result in results {
            guard let model = result.model else { continue }
            accumulate(result, into: &sums[model, default: Sums()])
        }
        return sums.mapValues(\.averages)
    }

    /// The `model_statistics` object: model → metric → `{n, mean, stderr}` (`stderr` null below two values), beside
    /// the reference's `model_averages`, which keeps its shape.
    static func statisticsValue(_ statistics: [String: [String: SampleSummary]]) -> JSONValue {
        .object(statistics.mapValues { metrics in
            .object(metrics.mapValues { summary in
                .object([
                    "n": .number(Double(summary.count)), "mean": summary.mean.map(JSONValue.number) ?? .null,
                    "stderr": summary.standardError.map(JSONValue.number) ?? .null,
                ])
            })
        })
    }

    /// One `per_prompt` entry.
    static func entry(_ result: ItemResult) -> [String: JSONValue] {
        var entry: [String: JSONValue] = [
            "id": .string(result.id ?? ""), "model": .string(result.model ?? ""),
        ]
        if let h = result.heuristic { entry["heuristic"] = heuristicValue(h) }
        if let standard = result.standard {
            entry["standard"] = .object([
                "correct": .bool(standard.correct), "extracted": .string(standard.extracted),
                "expected": .string(standard.expected),
            ])
        }
        for (name, verdict) in result.judges {
            switch verdict {
            case .scored(let values): entry[name] = .object(values)
            case .unscored(let reason, let raw):
                entry[name] = .object(["unscored": .bool(true), "reason": .string(reason), "raw": .string(raw)])
            }
        }
        if let merged = referenceStandard(result, exact: entry["standard"]) { entry["standard"] = merged }
        if !result.failures.isEmpty { entry["failures"] = .array(result.failures.map(JSONValue.string)) }
        return entry
    }

    /// The reference's `standard` object: the `standard` suite's judge scores (truthfulness, informativeness,
    /// safety, nuance, kindness, awareness, and the first reasoning, in the suites' order) merged with the exact
    /// verdict (`correct`, `extracted`, `expected`), as the reference merges them; nil when no such judge scored.
    static func referenceStandard(_ result: ItemResult, exact: JSONValue?) -> JSONValue? {
        var merged: [String: JSONValue] = [:]
        if case .object(let fields)? = exact { merged = fields }
        var scored = false
        for suite in ScoringSuite.standard {
            guard let judge = suite.judgeSuite, let scores = result.verdict(judge)?.scores else { continue }
            scored = true
            for key in judge.numericKeys { if let value = scores[key] { merged[key] = value } }
            if merged["reasoning"] == nil, let reasoning = scores["reasoning"] { merged["reasoning"] = reasoning }
        }
        return scored ? .object(merged) : nil
    }

    /// The heuristic scores as their JSON encoding would decode (built directly: a round trip per item through
    /// JSONEncoder and JSONDecoder cost more than scoring it).
    static func heuristicValue(_ h: HeuristicScores) -> JSONValue {
        .object([
            "compliance_markers": .number(Double(h.complianceMarkers)),
            "formulaic_preamble": .number(Double(h.formulaicPreamble)),
            "first_person": .number(Double(h.firstPerson)),
            "creative_form": .number(Double(h.creativeForm)),
            "engagement_depth": .number(Double(h.engagementDepth)),
            "emotional_register": .number(Double(h.emotionalRegister)),
            "degeneration": .number(Double(h.degeneration)),
            "empty_broken": .number(Double(h.emptyBroken)),
            "lek_score": .number(h.lekScore),
        ])
    }

    /// The `metadata` object, with the reproducibility record.
    static func metadata(_ meta: ScoreFileMetadata, items: Int, failed: Int) -> JSONValue {
        let config = meta.configuration
        let options = config.judgeOptions
        func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let suites = JSONValue.array(config.suites.map { .string($0.rawValue) })
        let sampler: JSONValue = .object([
            "temperature": optional(options.temperature as Double?),
            "max_tokens": optional(options.maxTokens.map { Double($0) } as Double?),
            "top_k": optional(options.topK.map(Double.init)),
            "top_p": optional(options.topP),
            "repeat_penalty": optional(options.repeatPenalty),
            "seed": optional(options.seed.map { String($0) }),
        ])
        return .object([
            "judge_model": optional(config.judgeModel),
            "judge_url": optional(config.judgeURL),
            "scored_at": .string(formatter.string(from: meta.scoredAt)),
            "scorer_version": .string(config.scorerVersion),
            "suites": suites,
            "items": .number(Double(items)),
            "failed_items": .number(Double(failed)),
            "reproducibility": .object([
                "scorer_version": .string(config.scorerVersion),
                "suites": suites,
                "judge_model": optional(config.judgeModel),
                "judge_url": optional(config.judgeURL),
                "judge_model_sha256": optional(meta.judgeModelSHA256),
                "sampler": sampler,
                "seed": optional(options.seed.map { String($0) }),
                "max_reasks": .number(Double(config.maxReasks)),
                "config_hash": .string(config.hash),
            ]),
        ])
    }

    /// The first `limit` failed items of a results file, read as a stream.
    public static func failedItems(resultsPath: String, limit: Int) throws -> [ItemResult] {
        let reader = try LineReader(path: resultsPath)
        let decoder = JSONDecoder()
        var found: [ItemResult] = []
        while found.count < limit, let line = try reader.next() {
            guard case .text(let text) = line, let result = try? decoder.decode(ItemResult.self, from: Data(text.utf8)),
                  result.failed else { continue }
            found.append(result)
        }
        return found
    }

    /// Streams over the results file at `resultsPath` once and writes the score file to `outputPath` (atomically: a
    /// crash mid-write leaves the previous file, never a truncated one). ``ScoringEngine`` builds it while scoring
    /// instead (``ScoreFileBuilder``); this serves a results file written earlier. Returns the model averages.
    @discardableResult
    public static func build(resultsPath: String, outputPath: String, metadata meta: ScoreFileMetadata) throws
        -> [String: [String: Double]]
    {
        let builder = try ScoreFileBuilder(outputPath: outputPath)
        let reader = try LineReader(path: resultsPath)
        let decoder = JSONDecoder()
        while let line = try reader.next() {
            guard case .text(let text) = line, !text.isEmpty,
                  let result = try? decoder.decode(ItemResult.self, from: Data(text.utf8))
            else { continue }
            try builder.add(result)
        }
        return try builder.commit(metadata: meta)
    }
}
