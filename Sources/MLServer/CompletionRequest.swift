import Foundation
import Inference

/// A validated `/v1/chat/completions` or `/v1/completions` request.
struct CompletionRequest: Sendable {
    enum Input: Sendable {
        case messages([Message])
        case prompt(String)
    }

    var model: String?
    var input: Input
    var options: GenerateOptions
    var stream: Bool
    var includeUsage: Bool

    /// Parses and validates a request body; errors are 400s naming the field.
    static func parse(_ body: [UInt8], chat: Bool, maxTokens: Int) throws -> CompletionRequest {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw APIError.badRequest("The request body is not a JSON object.")
        }
        let input: Input
        if chat {
            guard let raw = object["messages"] as? [Any], !raw.isEmpty else {
                throw APIError.badRequest("'messages' must be a non-empty array.", code: "invalid_messages")
            }
            input = .messages(try raw.enumerated().map { index, item in try message(item, index: index) })
        } else {
            if let prompt = object["prompt"] as? String {
                input = .prompt(prompt)
            } else if let prompts = object["prompt"] as? [String], prompts.count == 1 {
                input = .prompt(prompts[0])
            } else {
                throw APIError.badRequest("'prompt' must be a string.", code: "invalid_prompt")
            }
        }
        var options = GenerateOptions()
        options.temperature = try number(object, "temperature", in: 0...2)
        options.topP = try number(object, "top_p", in: 0...1)
        options.topK = try integer(object, "top_k", in: 0...100_000)
        options.minP = try number(object, "min_p", in: 0...1)
        options.repeatPenalty = try number(object, "repeat_penalty", in: 0...10)
        if let seed = try integer(object, "seed", in: Int.min...Int.max) { options.seed = UInt64(bitPattern: Int64(seed)) }
        _ = try integer(object, "n", in: 1...1)  // only one choice is generated
        let requested = try integer(object, "max_completion_tokens", in: 1...Int.max) ?? integer(object, "max_tokens", in: 1...Int.max)
        options.maxTokens = min(requested ?? maxTokens, maxTokens)
        switch object["stop"] {
        case nil, is NSNull: break
        case let stop as String: options.stop = [stop]
        case let stops as [String] where stops.count <= 16: options.stop = stops
        default: throw APIError.badRequest("'stop' must be a string or an array of up to 16 strings.", code: "invalid_stop")
        }
        if let format = object["response_format"] as? [String: Any] {
            switch format["type"] as? String {
            case "json_object": options.responseFormat = .jsonObject
            case "json_schema":
                let inner = format["json_schema"] as? [String: Any] ?? [:]
                guard let schema = inner["schema"], JSONSerialization.isValidJSONObject(schema),
                    let data = try? JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys])
                else { throw APIError.badRequest("'response_format.json_schema.schema' must be a JSON object.") }
                options.responseFormat = .jsonSchema(name: inner["name"] as? String ?? "response", schema: String(decoding: data, as: UTF8.self))
            case "text", nil: break
            default: throw APIError.badRequest("Unsupported 'response_format' type.", code: "invalid_response_format")
            }
        }
        let stream = object["stream"] as? Bool ?? false
        let includeUsage = ((object["stream_options"] as? [String: Any])?["include_usage"] as? Bool) ?? false
        return CompletionRequest(model: object["model"] as? String, input: input, options: options, stream: stream, includeUsage: includeUsage)
    }

    private static func message(_ item: Any, index: Int) throws -> Message {
        guard let object = item as? [String: Any], let role = object["role"] as? String else {
            throw APIError.badRequest("'messages[\(index)]' must be an object with a 'role'.", code: "invalid_messages")
        }
        guard ["system", "user", "assistant", "developer", "tool"].contains(role) else {
            throw APIError.badRequest("'messages[\(index)].role' '\(role)' is not a known role.", code: "invalid_messages")
        }
        let content: String
        switch object["content"] {
        case let text as String: content = text
        case let parts as [[String: Any]]:
            // Text parts are joined; other part types (images) are not supported by text models.
            content = try parts.map { part in
                guard part["type"] as? String == "text", let text = part["text"] as? String else {
                    throw APIError.badRequest("'messages[\(index)].content' has a part that is not text.", code: "invalid_messages")
                }
                return text
            }.joined(separator: "\n")
        case nil, is NSNull: content = ""
        default: throw APIError.badRequest("'messages[\(index)].content' must be a string.", code: "invalid_messages")
        }
        return Message(role: Message.Role(rawValue: role == "developer" ? "system" : role), content: content)
    }

    private static func number(_ object: [String: Any], _ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let value = (raw as? NSNumber)?.doubleValue, range.contains(value) else {
            throw APIError.badRequest("'\(key)' must be a number in \(range.lowerBound)...\(range.upperBound).", code: "invalid_\(key)")
        }
        return value
    }

    /// An integer field, exactly: a value outside `range` (however large: JSON numbers beyond 64 bits included)
    /// or with a fraction is a 400 naming the field, never a wrapped or rounded value.
    static func integer(_ object: [String: Any], _ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let number = raw as? NSNumber, let value = exactInteger(number), range.contains(value) else {
            throw APIError.badRequest("'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound).", code: "invalid_\(key)")
        }
        return value
    }

    /// The number's value as an `Int` when it is a whole number that fits, else `nil`.
    private static func exactInteger(_ number: NSNumber) -> Int? {
        // The decimal digits, not `intValue` (which wraps 2^64 + 3 to 3) nor `doubleValue` (which rounds above 2^53).
        let text = number.stringValue
        if let value = Int(text) { return value }
        if let decimal = Decimal(string: text), decimal.isFinite {
            var rounded = decimal, input = decimal
            NSDecimalRound(&rounded, &input, 0, .plain)
            guard rounded == decimal else { return nil }
            return Int(NSDecimalNumber(decimal: decimal).stringValue)
        }
        return nil
    }
}
