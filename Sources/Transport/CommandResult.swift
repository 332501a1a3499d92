import Foundation

/// What a finished command left: its exit status and the output it was not told to write to a file.
struct CommandResult: Sendable {
    /// The exit status; 128 + the signal number when a signal ended the command.
    var status: Int32
    /// Standard output; empty when it went to a file.
    var standardOutput: Data
    var standardError: Data

    /// The last `limit` characters of standard error, trimmed: enough to say why a command failed.
    func errorExcerpt(limit: Int = 2000) -> String {
        let text = String(decoding: standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= limit ? text : "…" + text.suffix(limit)
    }
}
