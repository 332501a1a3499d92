import Evaluation
import Foundation
import Scoring
import Workspace

/// The outcome of `ml data score`.
package struct ScoreStageReport: Sendable, Codable {
    package var answers = 0
    package var scores = 0
    package var failed = 0
}

/// `ml data score`: scores answers that have no heuristic score yet through ``ScoringEngine``'s in-memory entry
/// point, `score(_:)` (heuristic inline, judge suites through its judge; no JSON lines in between), and stores one
/// row per scorer and metric:
/// `heuristic` with the eight sub-scores and `lek_score`, each judge suite with its numeric keys (an unscored
/// verdict is kept as a NULL `verdict` row with the reason).
package struct DataScorer: Sendable {
    package var store: any WorkspaceStore
    package var engine: ScoringEngine
    /// Answers per engine call (and per store transaction).
    package var chunk: Int

    package init(store: any WorkspaceStore, engine: ScoringEngine, chunk: Int = 256) {
        self.store = store
        self.engine = engine
        self.chunk = max(1, chunk)
    }

    package func run(onChunk: (@Sendable (ScoreStageReport) -> Void)? = nil) async throws -> ScoreStageReport {
        var report = ScoreStageReport()
        let source = engine.configuration.scorerVersion
        while true {
            let answers = try await store.answersToScore(scorer: "heuristic", limit: chunk)
            if answers.isEmpty { return report }
            let items = answers.map {
                ResponseItem(id: $0.promptID, domain: $0.domain, prompt: $0.prompt, response: $0.response, model: $0.model)
            }
            let (results, _) = try await engine.score(items)
            var records: [ScoreRecord] = []
            for (answer, result) in zip(answers, results) {
                // Always a heuristic row set: it marks the answer scored even when the suites exclude heuristic.
                let heuristic = result.heuristic ?? HeuristicScorer.score(answer.response)
                records += Self.heuristicRecords(heuristic, promptID: answer.promptID, source: source)
                for (suite, verdict) in result.judges.sorted(by: { $0.key < $1.key }) {
                    let judgeSource = engine.configuration.judgeModel ?? "judge"
                    if let values = verdict.scores {
                        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                            if case .number(let number) = value {
                                records.append(ScoreRecord(promptID: answer.promptID, scorer: suite, metric: key,
                                                           value: number, source: judgeSource))
                            }
                        }
                    } else {
                        records.append(ScoreRecord(promptID: answer.promptID, scorer: suite, metric: "verdict",
                                                   value: nil, detail: verdict.reason, source: judgeSource))
                    }
                }
                if result.failed { report.failed += 1 }
            }
            try await store.saveScores(records)
            report.answers += answers.count
            report.scores += records.count
            onChunk?(report)
        }
    }

    /// The heuristic rows of `text` (what a run stores when the suites leave heuristic out).
    package static func heuristicRecords(for text: String, promptID: String,
                                        source: String = ScoringConfiguration.currentScorerVersion) -> [ScoreRecord] {
        heuristicRecords(HeuristicScorer.score(text), promptID: promptID, source: source)
    }

    static func heuristicRecords(_ scores: HeuristicScores, promptID: String, source: String) -> [ScoreRecord] {
        let metrics: [(String, Double)] = [
            ("compliance_markers", Double(scores.complianceMarkers)),
            ("formulaic_preamble", Double(scores.formulaicPreamble)),
            ("first_person", Double(scores.firstPerson)),
            ("creative_form", Double(scores.creativeForm)),
            ("engagement_depth", Double(scores.engagementDepth)),
            ("emotional_register", Double(scores.emotionalRegister)),
            ("degeneration", Double(scores.degeneration)),
            ("empty_broken", Double(scores.emptyBroken)),
            ("lek_score", scores.lekScore),
        ]
        return metrics.map {
            ScoreRecord(promptID: promptID, scorer: "heuristic", metric: $0.0, value: $0.1, source: source)
        }
    }
}
