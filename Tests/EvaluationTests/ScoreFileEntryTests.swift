import Foundation
import JSONValues
import Scoring
import Testing
@testable import Evaluation

/// A `per_prompt` entry is built directly, and must equal what the JSON round trip of the scores gave.
@Suite struct ScoreFileEntryTests {
    private func roundTrip<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test(arguments: ["", "ERROR: x", "I feel the light. I think, therefore I am. **Autonomy** and consent matter; the key is hashed.",
                      "Okay, let's see.\nA\nB\nC\nD\nE\nF\nG 12 = 42 #### 1,234.5"])
    func heuristicAndStandardEqualTheirJSONRoundTrip(_ response: String) throws {
        let heuristic = HeuristicScorer.score(response)
        let standard = ExactMatch.score(response: response, correctAnswer: "1234.5")
        let result = ItemResult(line: 1, id: "a", model: "m", heuristic: heuristic, standard: standard)
        let entry = ScoreFile.entry(result)
        #expect(entry["heuristic"] == (try roundTrip(heuristic)))
        #expect(entry["standard"] == (try roundTrip(standard)))
    }
}
