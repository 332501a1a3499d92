import Scoring
import Testing

/// Every golden vector of the reference scorer must be reproduced exactly.
@Suite("Golden vectors")
struct GoldenTests {
    @Test("the golden file is complete")
    func corpusLoads() {
        #expect(GoldenVector.all.count == 368)
        #expect(Set(GoldenVector.all.map(\.id)).count == GoldenVector.all.count)
    }

    @Test("heuristic sub-scores and LEK", arguments: GoldenVector.all)
    func heuristic(_ vector: GoldenVector) {
        let actual = HeuristicScorer.score(vector.response)
        let expected = vector.expected.heuristic
        #expect(actual == expected, "\(vector.id): \(Self.diff(actual, expected))")
    }

    @Test("heuristic on raw UTF-8 bytes", arguments: GoldenVector.all)
    func heuristicBytes(_ vector: GoldenVector) {
        let bytes = Array(vector.response.utf8)
        #expect(HeuristicScorer.score(utf8: bytes) == vector.expected.heuristic, "\(vector.id)")
    }

    @Test("GSM8K exact match", arguments: GoldenVector.all.filter { $0.expected.exact != nil })
    func exact(_ vector: GoldenVector) throws {
        let expected = try #require(vector.expected.exact)
        let answer = try #require(vector.correctAnswer)
        let actual = ExactMatch.score(response: vector.response, correctAnswer: answer)
        #expect(actual == expected, "\(vector.id): got \(actual), want \(expected)")
    }

    @Test("judge JSON extraction", arguments: GoldenVector.all)
    func judgeJSON(_ vector: GoldenVector) {
        let actual = JudgeJSON.extract(vector.response)
        #expect(actual == vector.expected.extractedJSON, "\(vector.id)")
    }

    /// Field-by-field description of the differences between two score sets.
    static func diff(_ actual: HeuristicScores, _ expected: HeuristicScores) -> String {
        let fields: [(String, Double, Double)] = [
            ("compliance_markers", Double(actual.complianceMarkers), Double(expected.complianceMarkers)),
            ("formulaic_preamble", Double(actual.formulaicPreamble), Double(expected.formulaicPreamble)),
            ("first_person", Double(actual.firstPerson), Double(expected.firstPerson)),
            ("creative_form", Double(actual.creativeForm), Double(expected.creativeForm)),
            ("engagement_depth", Double(actual.engagementDepth), Double(expected.engagementDepth)),
            ("emotional_register", Double(actual.emotionalRegister), Double(expected.emotionalRegister)),
            ("degeneration", Double(actual.degeneration), Double(expected.degeneration)),
            ("empty_broken", Double(actual.emptyBroken), Double(expected.emptyBroken)),
            ("lek_score", actual.lekScore, expected.lekScore),
        ]
        return fields.filter { $0.1 != $0.2 }.map { "\($0.0) got \($0.1) want \($0.2)" }.joined(separator: ", ")
    }
}
