import Foundation
import Inference
import JSONValues
import MLErrors
import Scoring

/// A judge's verdict on one response: scores for every key of the suite, or unscored with the reason.
///
/// An unscored verdict is never a zero: it is left out of averages.
public enum JudgeVerdict: Sendable, Hashable, Codable {
    /// Every key present, of the right type and in range. Numbers as `.number`, text as `.string`.
    case scored([String: JSONValue])
    /// No usable reply. `raw` is the (truncated) last reply, `""` when the backend failed.
    case unscored(reason: String, raw: String)

    public var isScored: Bool {
        if case .scored = self { return true }
        return false
    }

    /// The values, when scored.
    public var scores: [String: JSONValue]? {
        if case .scored(let values) = self { return values }
        return nil
    }

    /// The numeric value of `key`, when scored.
    public func number(_ key: String) -> Double? {
        if case .number(let value)? = scores?[key] { return value }
        return nil
    }

    /// Why it is unscored.
    public var reason: String? {
        if case .unscored(let reason, _) = self { return reason }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case status, scores, reason, raw }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .status) {
        case "scored": self = .scored(try container.decode([String: JSONValue].self, forKey: .scores))
        case "unscored":
            self = .unscored(
                reason: try container.decode(String.self, forKey: .reason),
                raw: try container.decodeIfPresent(String.self, forKey: .raw) ?? "")
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .status, in: container, debugDescription: "unknown verdict status '\(InputExcerpt.of(other))'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .scored(let values):
            try container.encode("scored", forKey: .status)
            try container.encode(values, forKey: .scores)
        case .unscored(let reason, let raw):
            try container.encode("unscored", forKey: .status)
            try container.encode(reason, forKey: .reason)
            try container.encode(raw, forKey: .raw)
        }
    }
}

/// Asks a model to grade responses with one of the ``JudgeSuite``s, validating every reply.
///
/// Replies go through `JudgeJSON.extract`, JSON parsing and key validation. An unusable reply, or a backend
/// error, is re-asked up to ``maxReasks`` times; after that the verdict is unscored with the reason.
/// Cancellation is the only error thrown.
public struct Judge: Sendable {
    public var model: any TextModel
    /// Sampling options. `responseFormat` is set per suite when ``constrained``.
    public var options: GenerateOptions
    /// Whether each request carries the suite's JSON schema as `responseFormat` (servers that honour it, such as
    /// llama-server and OpenAI, then return only valid JSON; others ignore it and the reply is extracted as usual).
    /// Extra attempts after an unusable reply or a backend error.
    public var maxReasks: Int
    /// How much of an unusable reply is kept in the verdict.
    public var rawLimit: Int

    public var constrained: Bool

    public init(model: any TextModel, options: GenerateOptions = .judging, maxReasks: Int = 1,
                constrained: Bool = true, rawLimit: Int = 2000) {
        self.model = model
        self.options = options
        self.constrained = constrained
        self.maxReasks = max(0, maxReasks)
        self.rawLimit = rawLimit
    }

    /// The context, in tokens, one server slot needs to answer a probe of at most `answerTokens` and to judge that
    /// answer: a judge prompt quoting the whole answer (the instructions, the scales, the question and the
    /// reference take well under 2,048 tokens) and a reply of at most `replyTokens`; at least 4,096, in steps of
    /// 1,024. Why: left to itself, llama-server gives every slot the model's whole training context (8 slots × 32k
    /// tokens of a 7B model's KV cache would not fit a laptop; SmolLM2's 8 × 8k already took 1.6 GB).
    public static func slotContext(answerTokens: Int, replyTokens: Int) -> Int {
        max(4096, (answerTokens + replyTokens + 2048 + 1023) / 1024 * 1024)
    }

    /// Grades `input` with `suite`. Throws only `CancellationError`.
    public func judge(_ suite: JudgeSuite, _ input: JudgeInput) async throws -> JudgeVerdict {
        var opts = options
        if constrained {
            opts.responseFormat = .jsonSchema(name: suite.schemaName, schema: suite.jsonSchema)
        }
        let prompt = suite.prompt(for: input)
        var messages: [Message] = [.user(prompt)]
        var verdict = JudgeVerdict.unscored(reason: "not asked", raw: "")
        for attempt in 0...maxReasks {
            try Task.checkCancellation()
            let reply: String
            do {
                reply = try await model.reply(messages, options: opts).text
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if let failure = error as? GenerationFailure, failure.underlying is CancellationError {
                    throw CancellationError()
                }
                verdict = .unscored(reason: "backend error: \(error)", raw: "")
                messages = [.user(prompt)]
                continue
            }
            try Task.checkCancellation()
            verdict = Self.parse(reply, suite: suite, rawLimit: rawLimit)
            guard case .unscored(let reason, _) = verdict else { return verdict }
            if attempt < maxReasks {
                messages = [
                    .user(prompt), .assistant(reply),
                    .user("That reply could not be used (\(reason)). Reply with only a JSON object with exactly "
                          + "these keys: {\(suite.keyDescription)}."),
                ]
            }
        }
        return verdict
    }

    /// Validates one reply against `suite`: JSON present and parseable, every key present, typed and in range.
    public static func parse(_ reply: String, suite: JudgeSuite, rawLimit: Int = 2000) -> JudgeVerdict {
        let raw = TextTruncation.truncated(reply, to: rawLimit)
        // A reply that is one JSON object as a whole (as schema-constrained output is) is taken as it is: the
        // spec's extraction stops at the first closing brace, even one inside a string value. Anything else is
        // extracted per the spec.
        let value: JSONValue
        if let whole = JSONValue.parse(reply.trimmingCharacters(in: .whitespacesAndNewlines)), case .object = whole {
            value = whole
        } else {
            let json = JudgeJSON.extract(reply)
            guard !json.isEmpty else { return .unscored(reason: "no JSON object in reply", raw: raw) }
            guard let extracted = JSONValue.parse(json) else {
                return .unscored(reason: "invalid JSON: \(TextTruncation.truncated(json, to: 120))", raw: raw)
            }
            value = extracted
        }
        guard case .object(let object) = value else {
            return .unscored(reason: "reply JSON is a \(value.typeName), not an object", raw: raw)
        }
        var values: [String: JSONValue] = [:]
        for key in suite.keys {
            guard let found = object[key.name] else {
                return .unscored(reason: "missing key '\(key.name)'", raw: raw)
            }
            switch (key.kind, found) {
            case (.string, .string):
                values[key.name] = found
            case (.integer(let min, let max), .number(let number)):
                guard number.rounded() == number else {
                    return .unscored(reason: "key '\(key.name)' is \(number), not an integer", raw: raw)
                }
                guard number >= Double(min), number <= Double(max) else {
                    return .unscored(reason: "key '\(key.name)' = \(number) is outside \(min)-\(max)", raw: raw)
                }
                values[key.name] = found
            case (.number(let min, let max), .number(let number)):
                guard number.isFinite, number >= min, number <= max else {
                    return .unscored(reason: "key '\(key.name)' = \(number) is outside \(min)-\(max)", raw: raw)
                }
                values[key.name] = found
            case (.string, _):
                return .unscored(reason: "key '\(key.name)' is a \(found.typeName), expected a string", raw: raw)
            case (_, _):
                return .unscored(reason: "key '\(key.name)' is a \(found.typeName), expected a number", raw: raw)
            }
        }
        return .scored(values)
    }
}
