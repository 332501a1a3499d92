import Foundation
import MLErrors

/// A deterministic check of a probe's answer. Every text match is case-insensitive.
///
/// JSON shape (`type` selects the case):
/// `{"type":"contains","value":"hive"}`, `{"type":"regex","pattern":"\\bwest\\b"}`,
/// `{"type":"number","value":42,"tolerance":0.001,"pick":"final"}`,
/// `{"type":"not_early","pattern":"\\byes\\b","within":40}`, `{"type":"ordered","values":["a","b"]}`,
/// `{"type":"any_of","checks":[…]}`, `{"type":"all_of","checks":[…]}`, `{"type":"not","check":{…}}`.
public indirect enum ProbeCheck: Sendable, Hashable, Codable {
    /// Which number of the answer a ``number(_:tolerance:pick:)`` check compares.
    public enum NumberPick: String, Sendable, Hashable, Codable {
        /// Any number in the answer.
        case any
        case first
        case last
        /// The first number after the last "answer" (as in "the answer is 42" / "Answer: 42"), else the last number.
        case final
    }

    /// The text contains `value`.
    case contains(String)
    /// The regular expression (ICU syntax) matches somewhere.
    case regex(String)
    /// A number extracted from the answer (commas removed) is within `tolerance` of `value`.
    case number(Double, tolerance: Double = 1e-6, pick: NumberPick = .final)
    /// The pattern does not match within the first `within` characters (a trap answer must not lead).
    case notEarly(pattern: String, within: Int)
    /// Each value appears, in this order (each after the previous one's occurrence).
    case ordered([String])
    case anyOf([ProbeCheck])
    case allOf([ProbeCheck])
    case not(ProbeCheck)

    /// Whether `answer` (reasoning already stripped) passes.
    public func passes(_ answer: String) -> Bool {
        switch self {
        case .contains(let value):
            return value.isEmpty || answer.range(of: value, options: [.caseInsensitive]) != nil
        case .regex(let pattern):
            return Self.firstMatch(pattern, in: answer) != nil
        case .number(let value, let tolerance, let pick):
            let numbers = Self.numbers(in: answer, pick: pick)
            return numbers.contains { abs($0 - value) <= tolerance }
        case .notEarly(let pattern, let within):
            guard let range = Self.firstMatch(pattern, in: answer) else { return true }
            return answer.distance(from: answer.startIndex, to: range.lowerBound) >= within
        case .ordered(let values):
            var cursor = answer.startIndex
            for value in values {
                guard let range = answer.range(of: value, options: [.caseInsensitive], range: cursor..<answer.endIndex)
                else { return false }
                cursor = range.upperBound
            }
            return true
        case .anyOf(let checks):
            return checks.contains { $0.passes(answer) }
        case .allOf(let checks):
            return checks.allSatisfy { $0.passes(answer) }
        case .not(let check):
            return !check.passes(answer)
        }
    }

    /// Problems that make the check unusable (invalid regular expressions, empty lists).
    public func problems() -> [String] {
        switch self {
        case .contains: return []
        case .regex(let pattern), .notEarly(let pattern, _):
            return (try? NSRegularExpression(pattern: pattern)) == nil ? ["invalid regex '\(pattern)'"] : []
        case .number(let value, let tolerance, _):
            return value.isFinite && tolerance >= 0 ? [] : ["invalid number check"]
        case .ordered(let values): return values.isEmpty ? ["empty ordered list"] : []
        case .anyOf(let checks), .allOf(let checks):
            return checks.isEmpty ? ["empty check list"] : checks.flatMap { $0.problems() }
        case .not(let check): return check.problems()
        }
    }

    // MARK: - Matching helpers

    static func firstMatch(_ pattern: String, in text: String) -> Range<String.Index>? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        let ns = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = regex.firstMatch(in: text, options: [], range: ns) else { return nil }
        return Range(match.range, in: text)
    }

    private static let numberPattern = #"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"#

    /// The numbers of `text` (commas removed), in order.
    public static func numbers(in text: String) -> [Double] {
        numberMatches(in: text).map(\.value)
    }

    private static func numberMatches(in text: String) -> [(value: Double, start: String.Index)] {
        guard let regex = try? NSRegularExpression(pattern: numberPattern) else { return [] }
        let ns = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.matches(in: text, options: [], range: ns).compactMap { match in
            guard let range = Range(match.range, in: text),
                  let value = Double(text[range].replacingOccurrences(of: ",", with: ""))
            else { return nil }
            return (value, range.lowerBound)
        }
    }

    static func numbers(in text: String, pick: NumberPick) -> [Double] {
        let matches = numberMatches(in: text)
        switch pick {
        case .any: return matches.map(\.value)
        case .first: return matches.first.map { [$0.value] } ?? []
        case .last: return matches.last.map { [$0.value] } ?? []
        case .final:
            if let marker = text.range(of: "answer", options: [.caseInsensitive, .backwards]),
               let after = matches.first(where: { $0.start >= marker.upperBound }) {
                return [after.value]
            }
            return matches.last.map { [$0.value] } ?? []
        }
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey { case type, value, values, pattern, tolerance, pick, within, checks, check }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "contains": self = .contains(try c.decode(String.self, forKey: .value))
        case "regex": self = .regex(try c.decode(String.self, forKey: .pattern))
        case "number":
            self = .number(
                try c.decode(Double.self, forKey: .value),
                tolerance: try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? 1e-6,
                pick: try c.decodeIfPresent(NumberPick.self, forKey: .pick) ?? .final)
        case "not_early":
            self = .notEarly(pattern: try c.decode(String.self, forKey: .pattern),
                             within: try c.decode(Int.self, forKey: .within))
        case "ordered": self = .ordered(try c.decode([String].self, forKey: .values))
        case "any_of": self = .anyOf(try c.decode([ProbeCheck].self, forKey: .checks))
        case "all_of": self = .allOf(try c.decode([ProbeCheck].self, forKey: .checks))
        case "not": self = .not(try c.decode(ProbeCheck.self, forKey: .check))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown check type '\(InputExcerpt.of(type))'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .contains(let value):
            try c.encode("contains", forKey: .type)
            try c.encode(value, forKey: .value)
        case .regex(let pattern):
            try c.encode("regex", forKey: .type)
            try c.encode(pattern, forKey: .pattern)
        case .number(let value, let tolerance, let pick):
            try c.encode("number", forKey: .type)
            try c.encode(value, forKey: .value)
            try c.encode(tolerance, forKey: .tolerance)
            try c.encode(pick, forKey: .pick)
        case .notEarly(let pattern, let within):
            try c.encode("not_early", forKey: .type)
            try c.encode(pattern, forKey: .pattern)
            try c.encode(within, forKey: .within)
        case .ordered(let values):
            try c.encode("ordered", forKey: .type)
            try c.encode(values, forKey: .values)
        case .anyOf(let checks):
            try c.encode("any_of", forKey: .type)
            try c.encode(checks, forKey: .checks)
        case .allOf(let checks):
            try c.encode("all_of", forKey: .type)
            try c.encode(checks, forKey: .checks)
        case .not(let check):
            try c.encode("not", forKey: .type)
            try c.encode(check, forKey: .check)
        }
    }
}

/// Removal of `<think>…</think>` reasoning blocks before an answer is checked.
public enum Reasoning {
    /// The answer without reasoning blocks, and whether it ended inside an unclosed `<think>` (incomplete).
    ///
    /// A `</think>` with no opening tag before it (templates that open the block in the prompt) drops everything
    /// up to it.
    public static func strip(_ text: String) -> (answer: String, incomplete: Bool) {
        let open = "<think>", close = "</think>"
        var rest = Substring(text)
        if let closing = rest.range(of: close, options: .caseInsensitive) {
            let opening = rest.range(of: open, options: .caseInsensitive)
            if opening == nil || opening!.lowerBound > closing.lowerBound {
                rest = rest[closing.upperBound...]
            }
        }
        var answer = ""
        while let opening = rest.range(of: open, options: .caseInsensitive) {
            answer += rest[..<opening.lowerBound]
            guard let closing = rest.range(of: close, options: .caseInsensitive, range: opening.upperBound..<rest.endIndex)
            else {
                return (answer.trimmingCharacters(in: .whitespacesAndNewlines), true)
            }
            rest = rest[closing.upperBound...]
        }
        answer += rest
        return (answer.trimmingCharacters(in: .whitespacesAndNewlines), false)
    }
}
