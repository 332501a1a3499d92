import Foundation
import Inference
import JSONValues
import OpenAIWire

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

    /// The number fields and their ranges.
    static let numberRanges: [String: ClosedRange<Double>] = ["temperature": 0...2, "top_p": 0...1, "min_p": 0...1, "repeat_penalty": 0...10]
    /// The integer fields and their ranges (checked exactly: never a wrapped or rounded value).
    static let integerRanges: [String: ClosedRange<Int>] = [
        "top_k": 0...100_000, "seed": Int.min...Int.max, "n": 1...1, "max_completion_tokens": 1...Int.max, "max_tokens": 1...Int.max,
    ]

    /// Decodes and validates a request body; errors are 400s naming the field.
    static func parse(_ body: [UInt8], chat: Bool, maxTokens: Int) throws -> CompletionRequest {
        let data = Data(body)
        let input: Input
        let common: CompletionOptions
        do {
            if chat {
                let request = try JSONDecoder().decode(ChatCompletionRequest.self, from: data)
                common = request.shared
                guard !request.messages.isEmpty else { throw invalidMessages }
                input = .messages(try request.messages.enumerated().map { index, item in try message(item, index: index) })
            } else {
                let request = try JSONDecoder().decode(TextCompletionRequest.self, from: data)
                common = request.shared
                switch request.prompt {
                case .text(let prompt): input = .prompt(prompt)
                case .texts(let prompts) where prompts.count == 1: input = .prompt(prompts[0])
                default: throw invalidPrompt
                }
            }
        } catch let error as DecodingError {
            throw apiError(for: error)
        }

        let sampling = common.sampling
        var options = GenerateOptions()
        options.temperature = try number(sampling.temperature, "temperature")
        options.topP = try number(sampling.topP, "top_p")
        options.topK = try integer(sampling.topK, "top_k")
        options.minP = try number(sampling.minP, "min_p")
        options.repeatPenalty = try number(sampling.repeatPenalty, "repeat_penalty")
        options.seed = sampling.seed?.value
        _ = try integer(common.n, "n")  // only one choice is generated
        let requested = try integer(common.maxCompletionTokens, "max_completion_tokens") ?? integer(common.maxTokens, "max_tokens")
        options.maxTokens = min(requested ?? maxTokens, maxTokens)
        if let stop = sampling.stop {
            guard stop.values.count <= 16 else { throw invalidStop }
            options.stop = stop.values
        }
        if let format = common.responseFormat {
            switch format.type {
            case "json_object": options.responseFormat = .jsonObject
            case "json_schema":
                // Any JSON container is taken as the schema (as JSONSerialization's validity check did).
                guard let schema = format.jsonSchema?.schema, schema.objectValue != nil || schema.arrayValue != nil else {
                    throw APIError.badRequest("'response_format.json_schema.schema' must be a JSON object.")
                }
                options.responseFormat = .jsonSchema(name: format.jsonSchema?.name ?? "response", schema: schema.serialized())
            case "text", nil: break
            default: throw APIError.badRequest("Unsupported 'response_format' type.", code: "invalid_response_format")
            }
        }
        return CompletionRequest(
            model: common.model, input: input, options: options, stream: common.stream ?? false,
            includeUsage: common.streamOptions?.includeUsage ?? false
        )
    }

    static let invalidMessages = APIError.badRequest("'messages' must be a non-empty array.", code: "invalid_messages")
    static let invalidPrompt = APIError.badRequest("'prompt' must be a string.", code: "invalid_prompt")
    static let invalidStop = APIError.badRequest("'stop' must be a string or an array of up to 16 strings.", code: "invalid_stop")

    /// The 400 for a body that did not decode: the field is the first key of the error's coding path (the wire
    /// types report every failure there), with the message the field's own check gives.
    static func apiError(for error: DecodingError) -> APIError {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: path = []
        }
        guard let field = path.first?.stringValue else { return APIError.badRequest("The request body is not a JSON object.") }
        switch field {
        case "messages":
            guard path.count >= 2, let index = path[1].intValue else { return invalidMessages }
            if path.count >= 3, path[2].stringValue == "content" {
                return APIError.badRequest("'messages[\(index)].content' must be a string.", code: "invalid_messages")
            }
            return APIError.badRequest("'messages[\(index)]' must be an object with a 'role'.", code: "invalid_messages")
        case "prompt": return invalidPrompt
        case "stop": return invalidStop
        default:
            if let range = numberRanges[field] { return numberError(field, range) }
            if let range = integerRanges[field] { return integerError(field, range) }
            return APIError.badRequest("'\(field)' is not valid.", code: "invalid_\(field)")
        }
    }

    private static func message(_ item: ChatMessage, index: Int) throws -> Message {
        let role = item.role
        guard ["system", "user", "assistant", "developer", "tool"].contains(role) else {
            throw APIError.badRequest("'messages[\(index)].role' '\(role)' is not a known role.", code: "invalid_messages")
        }
        let content: String
        switch item.content {
        case .text(let text): content = text
        case .parts(let parts):
            // Text parts are joined; other part types (images) are not supported by text models.
            content = try parts.map { part in
                guard part.type == "text", let text = part.text else {
                    throw APIError.badRequest("'messages[\(index)].content' has a part that is not text.", code: "invalid_messages")
                }
                return text
            }.joined(separator: "\n")
        case nil: content = ""
        }
        return Message(role: Message.Role(rawValue: role == "developer" ? "system" : role), content: content)
    }

    private static func number(_ value: Double?, _ key: String) throws -> Double? {
        guard let value else { return nil }
        let range = numberRanges[key]!
        guard range.contains(value) else { throw numberError(key, range) }
        return value
    }

    private static func integer(_ value: Int?, _ key: String) throws -> Int? {
        guard let value else { return nil }
        let range = integerRanges[key]!
        guard range.contains(value) else { throw integerError(key, range) }
        return value
    }

    private static func numberError(_ key: String, _ range: ClosedRange<Double>) -> APIError {
        APIError.badRequest("'\(key)' must be a number in \(range.lowerBound)...\(range.upperBound).", code: "invalid_\(key)")
    }

    private static func integerError(_ key: String, _ range: ClosedRange<Int>) -> APIError {
        APIError.badRequest("'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound).", code: "invalid_\(key)")
    }
}
