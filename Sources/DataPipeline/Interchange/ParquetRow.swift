import Foundation
import Workspace

/// One row of the Parquet export, the reference's columns: `prompt`, `response`, `system` (empty: golden rows have
/// no system message) and `messages`, the chat as a JSON string (`[{"role":…,"content":…},…]`, the JSON-lines
/// export's `messages`).
package struct ParquetRow: Sendable, Codable, Hashable {
    package var prompt: String
    package var response: String
    package var system: String
    package var messages: String

    package init(prompt: String, response: String, system: String = "", messages: String) {
        self.prompt = prompt
        self.response = response
        self.system = system
        self.messages = messages
    }

    /// The row for a golden record: its user and assistant messages.
    package init(golden: GoldenRecord) throws {
        let chat = [ChatMessage(role: "user", content: golden.prompt), ChatMessage(role: "assistant", content: golden.response)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let messages = String(decoding: try encoder.encode(chat), as: UTF8.self)
        self.init(prompt: golden.prompt, response: golden.response, messages: messages)
    }

    /// The names of the columns, in order.
    package static let columns = ["prompt", "response", "system", "messages"]

    /// A chat message with `role` before `content`, as the reference writes it (a synthesized `Codable` keeps the
    /// declaration order).
    struct ChatMessage: Codable {
        var role: String
        var content: String
    }
}
