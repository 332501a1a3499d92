import Foundation
import OpenAIWire

/// The text of a server's error for messages: the `error` object's message of a reply body, or the body itself,
/// cut to a byte limit.
enum ErrorMessage {
    /// The message of an error response body (an OpenAI error object, or plain text), cut to `limit` bytes.
    static func fromBody(_ body: [UInt8], limit: Int) -> String {
        if let reply = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)), let message = reply.message {
            return truncate(message, limit)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return truncate(text.isEmpty ? "(empty body)" : text, limit)
    }

    /// An error body: `{"error": {...}}`, `{"error": "text"}` or a bare `{"message": ...}`.
    private struct ErrorBody: Decodable {
        var message: String?
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            if let error = try? container.decodeIfPresent(ErrorDetail.self, forKey: .error) {
                message = error.message
            } else {
                message = try? container.decodeIfPresent(String.self, forKey: .message)
            }
        }
        enum Keys: String, CodingKey { case error, message }
    }

    static func truncate(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = text.utf8.prefix(limit)
        while !cut.isEmpty, String(cut) == nil { cut = cut.dropLast() }
        return (String(cut) ?? "") + "…"
    }
}
