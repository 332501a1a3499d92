import Foundation
import Scoring
import Testing

/// One line of the reference scorer's golden file.
struct GoldenVector: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        let heuristic: HeuristicScores
        let exact: ExactMatchResult?
        let extractedJSON: String

        enum CodingKeys: String, CodingKey {
            case heuristic, exact
            case extractedJSON = "extracted_json"
        }
    }

    let id: String
    let model: String
    let prompt: String
    let response: String
    let correctAnswer: String?
    let expected: Expected

    enum CodingKeys: String, CodingKey {
        case id, model, prompt, response, expected
        case correctAnswer = "correct_answer"
    }

    var testDescription: String { id }

    /// Every vector of `Resources/heuristic.jsonl` (empty if the resource cannot be read).
    static let all: [GoldenVector] = (try? load()) ?? []

    static func load() throws -> [GoldenVector] {
        guard let url = Bundle.module.url(forResource: "heuristic", withExtension: "jsonl", subdirectory: "Resources")
        else { return [] }
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(GoldenVector.self, from: $0) }
    }
}
