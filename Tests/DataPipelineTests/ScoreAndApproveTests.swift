import DataPipeline
import Evaluation
import Foundation
import InferenceTesting
import PostgresTestSupport
import Testing
import Workspace

/// Scoring through the real scoring engine (a fake judge model) and approval rules, on both engines.
@Suite struct ScoreAndApproveTests {
    static let semanticJSON =
        #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 8, "reasoning": "ok"}"#

    func answered(_ workspace: TestWorkspace, _ responses: [String: String]) async throws {
        try await workspace.store.insertPrompts(responses.keys.sorted().map {
            PromptRecord(id: $0, prompt: "Prompt \($0)", domain: "test", source: "t")
        })
        try await workspace.store.saveAnswers(responses.map { TestWorkspace.answer($0.key, worker: "w", text: $0.value) })
    }

    @Test(arguments: TestEngine.allCases)
    func heuristicAndJudgeScoresAreStoredPerMetric(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let long = "A careful answer. It explains the reasoning step by step, and it ends with a clear conclusion."
            try await answered(workspace, ["a": long, "b": "BROKEN reply"])
            let judge = ScriptedModel(capacity: 4) { request in
                request.text.contains("BROKEN") ? ["no json"] : [Self.semanticJSON]
            }
            let configuration = ScoringConfiguration(suites: try ScoringSuite.parse(["heuristic,semantic"]), judgeModel: "fake")
            let scorer = DataScorer(
                store: workspace.store,
                engine: ScoringEngine(configuration: configuration, judge: Judge(model: judge, maxReasks: 0, constrained: false)))
            let report = try await scorer.run()
            #expect(report.answers == 2)
            let rows = try await workspace.store.query(
                "SELECT prompt_id, scorer, metric, value FROM scores ORDER BY prompt_id, scorer, metric")
            let keys = rows.rows.map { "\($0[0]).\($0[1]).\($0[2])" }
            #expect(keys.contains("a.heuristic.lek_score"))
            #expect(keys.contains("a.semantic.sovereignty"))
            #expect(rows.rows.first { $0[0] == "a" && $0[2] == "sovereignty" }?[3] == .double(7))
            // An unscored verdict is kept as a NULL row with its reason, never as a zero.
            #expect(rows.rows.contains { $0[0] == "b" && $0[1] == "semantic" && $0[2] == "verdict" && $0[3] == .null })
            #expect(try await scorer.run().answers == 0, "scored answers are not scored again")
        }
    }

    @Test(arguments: TestEngine.allCases)
    func approvalRulesDecideAndApprovedAnswersJoinTheGoldenSet(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let good = "A careful answer. It explains the reasoning step by step, and it ends with a clear conclusion."
            try await answered(workspace, ["good": good, "short": "Ok", "empty": "   ", "unscored": good])
            try await workspace.store.saveScores(
                ["good", "short", "empty"].flatMap { id in
                    let text = id == "good" ? good : id == "short" ? "Ok" : "   "
                    return DataScorer.heuristicRecords(for: text, promptID: id)
                })
            let report = try await Approver.run(store: workspace.store, rules: ApprovalRules(minLEK: -100))
            #expect(report.considered == 3 && report.approved == 1 && report.rejected == 2)
            #expect(report.reasons == ["empty": 1, "broken": 1])
            let golden = try await workspace.store.golden()
            #expect(golden.map(\.id) == ["good"] && golden.first?.source == "answer:fake")
            let decisions = try await workspace.store.query("SELECT prompt_id, approved, rule, reason FROM approvals ORDER BY prompt_id")
            #expect(decisions.rows.map { $0[0] } == ["empty", "good", "short"])
            #expect(decisions.rows.first { $0[0] == "short" }?[3].string?.contains("broken") == true)
            // The unscored answer waits for scoring; a stricter rule set rejects by LEK.
            let strict = ApprovalRules(minLEK: 1000)
            let answer = try await workspace.store.answersToApprove()
            #expect(answer.map(\.answer.promptID) == ["unscored"])
            #expect(strict.rejection(answer[0].answer, scores: ["heuristic.lek_score": 3])?.rule == "lek")
        }
    }
}
