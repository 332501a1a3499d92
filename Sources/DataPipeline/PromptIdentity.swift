import Crypto
import Foundation

/// Stable ids for rows that come without one: the first 16 hex digits of the SHA-256 of the normalized prompt,
/// so re-importing the same file (or the same prompt from another file) yields the same id.
package enum PromptIdentity {
    /// The prompt as compared for duplicates: Unicode NFC, lower-cased, whitespace runs collapsed to one space,
    /// trimmed.
    package static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    package static func id(for prompt: String) -> String {
        SHA256.hash(data: Data(normalized(prompt).utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
