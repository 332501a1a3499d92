import Foundation

/// One input line: a model's response to a prompt.
public struct ResponseItem: Sendable, Hashable, Codable {
    public var id: String
    public var domain: String?
    public var prompt: String
    public var response: String
    public var model: String
    public var elapsedSeconds: Double?
    public var correctAnswer: String?
    public var bestAnswer: String?
    public var riskArea: String?

    public init(id: String, domain: String? = nil, prompt: String, response: String, model: String,
                elapsedSeconds: Double? = nil, correctAnswer: String? = nil, bestAnswer: String? = nil,
                riskArea: String? = nil) {
        self.id = id
        self.domain = domain
        self.prompt = prompt
        self.response = response
        self.model = model
        self.elapsedSeconds = elapsedSeconds
        self.correctAnswer = correctAnswer
        self.bestAnswer = bestAnswer
        self.riskArea = riskArea
    }

    enum CodingKeys: String, CodingKey {
        case id, domain, prompt, response, model
        case elapsedSeconds = "elapsed_seconds"
        case correctAnswer = "correct_answer"
        case bestAnswer = "best_answer"
        case riskArea = "risk_area"
    }

    /// Decodes leniently where real files vary: ids and answers may be numbers; `null` is absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
            do {
                return try c.decode(String.self, forKey: key)
            } catch DecodingError.typeMismatch {
                // Not a string: a number is accepted below.
            } catch {
                // A string the decoder cannot turn into text, e.g. a lone UTF-16 surrogate escape ("\ud800").
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [key],
                    debugDescription: "'\(key.rawValue)' is a string that is not valid Unicode text (a lone surrogate escape such as \\ud800?)"))
            }
            if let int = try? c.decode(Int.self, forKey: key) { return String(int) }
            if let double = try? c.decode(Double.self, forKey: key) { return String(double) }
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: c.codingPath + [key], debugDescription: "'\(key.rawValue)' is not a string"))
        }
        func required(_ key: CodingKeys) throws -> String {
            guard let value = try text(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "missing key '\(key.rawValue)'"))
            }
            return value
        }
        id = try required(.id)
        prompt = try required(.prompt)
        response = try required(.response)
        model = try required(.model)
        domain = try text(.domain)
        correctAnswer = try text(.correctAnswer)
        bestAnswer = try text(.bestAnswer)
        riskArea = try text(.riskArea)
        elapsedSeconds = try c.decodeIfPresent(Double.self, forKey: .elapsedSeconds)
    }
}
