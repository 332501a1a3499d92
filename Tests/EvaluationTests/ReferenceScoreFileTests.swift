import Foundation
import Scoring
import Testing

@testable import Evaluation

/// Score files written by the reference scorer compare key by key with ours (`ml compare OLD NEW`).
@Suite struct ReferenceScoreFileTests {
    /// Written by hand from shared/spec/scoring.md: the reference's `model_averages` names and `per_prompt` shape.
    static let referenceFile = #"""
        {
          "metadata": {"judge_model": "gemma-3-27b", "judge_url": "http://10.0.0.5:8090/v1",
                       "scored_at": "2025-03-01T12:00:00Z", "scorer_version": "1.0.0",
                       "suites": ["heuristic", "semantic", "content"]},
          "model_averages": {
            "lek-1b": {
              "compliance_markers": 1.0, "formulaic_preamble": 0.0, "first_person": 2.0, "creative_form": 1.0,
              "engagement_depth": 3.0, "degeneration": 0.0, "emotional_register": 4.0, "empty_broken": 0.0,
              "lek_score": 12.5,
              "sovereignty": 6.0, "ethical_depth": 5.5, "creative_expression": 4.0, "self_concept": 5.0,
              "ccp_compliance": 7.0, "truth_telling": 6.0, "engagement": 8.0, "axiom_integration": 5.0,
              "sovereignty_reasoning": 6.5, "content_emotional_register": 5.0
            }
          },
          "per_prompt": {
            "lek-1b": [
              {"id": "p1", "model": "lek-1b",
               "heuristic": {"compliance_markers": 1, "formulaic_preamble": 0, "first_person": 2, "creative_form": 1,
                             "engagement_depth": 3, "degeneration": 0, "emotional_register": 4, "empty_broken": 0,
                             "lek_score": 12.5},
               "semantic": {"sovereignty": 6, "ethical_depth": 5, "creative_expression": 4, "self_concept": 5,
                            "reasoning": "ok"},
               "content": {"ccp_compliance": 7, "truth_telling": 6, "engagement": 8, "axiom_integration": 5,
                           "sovereignty_reasoning": 6, "emotional_register": 5, "notes": "fine"}}
            ]
          }
        }
        """#

    /// Our score file's averages for the same kinds of results.
    static func ours() throws -> Data {
        let semantic = Judge.parse(
            #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 6, "reasoning": "r"}"#,
            suite: .semantic)
        let content = Judge.parse(
            #"{"ccp_compliance": 8, "truth_telling": 7, "engagement": 9, "axiom_integration": 6, "sovereignty_reasoning": 7, "emotional_register": 6, "notes": "n"}"#,
            suite: .content)
        var result = ItemResult(
            line: 1, id: "p1", model: "lek-1b",
            heuristic: HeuristicScores(complianceMarkers: 0, formulaicPreamble: 0, firstPerson: 3, creativeForm: 2,
                                       engagementDepth: 3, emotionalRegister: 5, degeneration: 0, emptyBroken: 0))
        result.judges = ["semantic": semantic, "content": content]
        let averages = ScoreFile.modelAverages([result])
        return try JSONSerialization.data(withJSONObject: ["model_averages": averages, "metadata": [:], "per_prompt": [:]])
    }

    @Test func referenceFileComparesWithOursRowByRow() throws {
        let comparison = try ScoreComparison(old: Data(Self.referenceFile.utf8), new: Self.ours())
        // Every metric of the reference file is matched by one of ours: no row has only one side.
        let unmatched = comparison.rows.filter { $0.old == nil || $0.new == nil }
        #expect(unmatched.isEmpty, "unmatched rows: \(unmatched.map(\.metric))")
        #expect(comparison.rows.count == 19)
        let sovereignty = try #require(comparison.rows.first { $0.metric == "sovereignty" })
        #expect(sovereignty.old == 6 && sovereignty.new == 7)
        let register = try #require(comparison.rows.first { $0.metric == "content_emotional_register" })
        #expect(register.old == 5 && register.new == 6)
        #expect(comparison.rows.first { $0.metric == "emotional_register" }?.new == 5, "the heuristic's own metric")
    }

    @Test func olderNamesOfOursCompareWithTheReferenceNames() throws {
        let older = #"{"model_averages": {"m": {"semantic_sovereignty": 5, "content_emotional_register": 4, "content_truth_telling": 3, "capability_reasoning": 7}}}"#
        let reference = #"{"model_averages": {"m": {"sovereignty": 6, "content_emotional_register": 5, "truth_telling": 4, "capability_reasoning": 8}}}"#
        let comparison = try ScoreComparison(old: Data(older.utf8), new: Data(reference.utf8))
        #expect(comparison.rows.map(\.metric) == [
            "capability_reasoning", "content_emotional_register", "sovereignty", "truth_telling",
        ])
        #expect(comparison.rows.allSatisfy { $0.delta == 1 })
    }
}
