import Evaluation
import Foundation
import Logging
import Recording
import Transport

/// Records a checkpoint's results: always in the SQLite ``ScoreStore`` (the embedded default), and in InfluxDB when
/// configured — through an ``InfluxRecorder``, whose buffer keeps every point a failed write did not deliver.
///
/// Probe results are recorded as each completes; the checkpoint row (which marks it scored) is written last, so a
/// checkpoint interrupted midway is evaluated again and its rows are replaced, never duplicated (InfluxDB points
/// have deterministic timestamps, so rewriting one overwrites it).
package struct CheckpointRecorder: Sendable {
    package var store: ScoreStore
    package var influx: InfluxRecorder?
    package var logger: Logger

    package init(store: ScoreStore, influx: InfluxRecorder? = nil, logger: Logger = Logger(label: "swift-ml.agent")) {
        self.store = store
        self.influx = influx
        self.logger = logger
    }

    /// The run metadata of `checkpoint`, as recorded.
    static func run(_ checkpoint: Checkpoint) -> CheckpointRecords.Run {
        CheckpointRecords.Run(model: checkpoint.family.tag, runID: checkpoint.runID, label: checkpoint.label,
                              iteration: checkpoint.iteration)
    }

    /// Records one probe result as soon as it is known.
    package func recordProbe(_ result: ProbeResult, of checkpoint: Checkpoint, index: Int) async throws {
        try store.save(probes: [ProbeResultRecord(runID: checkpoint.runID, label: checkpoint.label, result: result)])
        guard let influx else { return }
        let point = try CheckpointRecords.probeScore(result, position: index + 1, run: Self.run(checkpoint))
        try await influx.record([point])
    }

    /// Records the whole checkpoint; afterwards it counts as scored.
    package func recordCheckpoint(_ evaluation: CheckpointEvaluation, of checkpoint: Checkpoint) async throws {
        let report = evaluation.probes
        let judge = evaluation.judgeAverages
        let content = evaluation.content.map { _ in evaluation.contentAverages }
        var items: [ItemScore] = []
        for (id, verdict) in evaluation.judged.sorted(by: { $0.key < $1.key }) {
            for key in JudgeSuite.capability.numericKeys {
                items.append(ItemScore(runID: checkpoint.runID, label: checkpoint.label, itemID: id,
                                       metric: "capability_\(key)", suite: "capability",
                                       value: verdict.number(key), error: verdict.reason))
            }
        }
        let score = CheckpointScore(
            runID: checkpoint.runID, label: checkpoint.label, model: checkpoint.family.tag, iteration: checkpoint.iteration,
            accuracy: report.accuracy * 100, correct: report.correct, total: report.total,
            judgeReasoning: judge?.reasoning, judgeCorrectness: judge?.correctness, judgeClarity: judge?.clarity,
            judgeAvg: judge?.avg, content: content)
        let tallies = Dictionary((evaluation.samples?.probes ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let probes = report.results.map { result in
            ProbeResultRecord(runID: checkpoint.runID, label: checkpoint.label, result: result,
                              samplesPassed: tallies[result.id]?.passed, samples: tallies[result.id]?.samples)
        }
        let judgeScores = Self.judgeScoreRecords(evaluation, of: checkpoint)
        if let influx {
            let records = Self.records(evaluation, of: checkpoint)
            let outcome = try await influx.record(try records.points())
            if case .buffered(let batches, _, let error) = outcome {
                logger.warning("InfluxDB unavailable; points buffered", metadata: [
                    "label": "\(checkpoint.label)", "batches": "\(batches)", "error": "\(error)",
                ])
            } else if case .rejected(let batches, _, let file, let error) = outcome {
                logger.error("InfluxDB refused points; set aside", metadata: [
                    "label": "\(checkpoint.label)", "batches": "\(batches)", "kept_in": "\(file)", "error": "\(error)",
                ])
            }
        }
        try store.save(judgeScores: judgeScores)
        // Last: the row that marks the checkpoint scored.
        try store.save(score, probes: probes, items: items)
    }

    /// The reference's InfluxDB measurements of `evaluation`: probe offsets follow the run order, one
    /// `capability_judge` point per probe the judge scored, content scores per probe × dimension.
    static func records(_ evaluation: CheckpointEvaluation, of checkpoint: Checkpoint) -> CheckpointRecords {
        let report = evaluation.probes
        let judged = report.results.enumerated().compactMap { index, result -> CheckpointRecords.JudgedProbe? in
            guard let verdict = evaluation.judged[result.id], let reasoning = verdict.number("reasoning"),
                  let correctness = verdict.number("correctness"), let clarity = verdict.number("clarity")
            else { return nil }
            return .init(index: index, probeID: result.id, category: result.category, reasoning: reasoning,
                         correctness: correctness, clarity: clarity)
        }
        let content = (evaluation.content ?? []).enumerated().map { index, result in
            CheckpointRecords.ContentProbeScores(index: index, scores: Dictionary(
                uniqueKeysWithValues: JudgeSuite.content.numericKeys.compactMap { key in
                    result.verdict.number(key).map { (key, $0) }
                }))
        }
        return CheckpointRecords(
            run: run(checkpoint),
            categories: report.byCategory.map { .init(category: $0.key, correct: $0.value.correct, total: $0.value.total) },
            overall: .init(category: "overall", correct: report.correct, total: report.total),
            probes: report.results,
            judged: judged,
            content: content)
    }

    /// One store row per judged probe × dimension, capability and content; an unusable reply keeps its rows with
    /// no score, so the report shows the probe as unscored instead of hiding it.
    static func judgeScoreRecords(_ evaluation: CheckpointEvaluation, of checkpoint: Checkpoint) -> [JudgeScoreRecord] {
        func rows(_ suite: JudgeSuite, _ probeID: String, _ category: String?, _ verdict: JudgeVerdict) -> [JudgeScoreRecord] {
            suite.numericKeys.map { key in
                JudgeScoreRecord(runID: checkpoint.runID, label: checkpoint.label, model: checkpoint.family.tag,
                                 iteration: checkpoint.iteration, suite: suite.rawValue, probeID: probeID,
                                 category: category, dimension: key, score: verdict.number(key))
            }
        }
        var records: [JudgeScoreRecord] = []
        for result in evaluation.probes.results {
            if let verdict = evaluation.judged[result.id] {
                records += rows(.capability, result.id, result.category, verdict)
            }
        }
        for result in evaluation.content ?? [] {
            records += rows(.content, result.id, nil, result.verdict)
        }
        return records
    }

    /// Checkpoints already scored: the store's, and InfluxDB's when configured and reachable.
    package func scoredKeys() async throws -> Set<CheckpointKey> {
        var keys = try store.scoredKeys()
        if let influx {
            do {
                keys.formUnion(try await Self.influxScoredKeys(influx.client))
            } catch {
                logger.warning("could not ask InfluxDB which checkpoints are scored; using the store only",
                               metadata: ["error": "\(error)"])
            }
        }
        return keys
    }

    static func influxScoredKeys(_ client: InfluxClient) async throws -> Set<CheckpointKey> {
        var keys = Set<CheckpointKey>()
        switch client.configuration.apiVersion {
        case .v3:
            for row in try await client.querySQL(#"SELECT DISTINCT run_id, label FROM capability_score"#) {
                if case .string(let runID)? = row["run_id"], case .string(let label)? = row["label"] {
                    keys.insert(CheckpointKey(runID: runID, label: label))
                }
            }
        default:
            let series = try await client.query(
                #"SELECT last("accuracy") FROM "capability_score" WHERE "category" = 'overall' GROUP BY "run_id", "label""#)
            for entry in series {
                if let runID = entry.tags["run_id"], let label = entry.tags["label"] {
                    keys.insert(CheckpointKey(runID: runID, label: label))
                }
            }
        }
        return keys
    }
}
