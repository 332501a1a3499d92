import Foundation

/// What a finished child process left: its exit status and the output it was not told to write to a file.
public struct ChildProcessResult: Sendable {
    /// The exit status; 128 + the signal number when a signal ended the program (``ChildProcess/exitStatus(of:)``).
    public var status: Int32
    /// Standard output (with standard error when it was merged); empty when it went to a file.
    public var standardOutput: Data
    public var standardError: Data

    /// Standard output as text (UTF-8, invalid bytes replaced).
    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }

    /// The last `limit` characters of standard error, trimmed: enough to say why a program failed.
    public func errorExcerpt(limit: Int = 2000) -> String {
        let text = String(decoding: standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= limit ? text : "…" + text.suffix(limit)
    }
}
