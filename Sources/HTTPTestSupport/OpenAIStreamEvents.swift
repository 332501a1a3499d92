import Foundation

/// Server-sent events of an OpenAI-format stream, as scripted servers send them.
package enum OpenAIStreamEvents {
    /// An event whose delta carries `text`.
    package static func chunk(_ text: String) -> String {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
        return #"data: {"choices":[{"index":0,"delta":{"content":"# + escaped + "}}]}\n\n"
    }

    /// The event ending the choice with finish reason `stop`.
    package static let finish = #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"

    /// The stream's last event.
    package static let done = "data: [DONE]\n\n"
}
