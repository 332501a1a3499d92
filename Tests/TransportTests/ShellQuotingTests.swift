import Foundation
import Testing

@testable import Transport

@Suite struct ShellQuotingTests {
    static let hostile = [
        "", "plain", "two words", "it's", "'", "''", "'\\''", "\"double\"", "a;b", "; touch PWNED", "$(touch X)",
        "`touch B`", "$HOME", "${IFS}", "line\nbreak", "\n", "-rf", "--", "*", "?[a]", "\\", "tab\there", "a|b&c>d<e",
        "#comment", "~", "!", "caf\u{E9} \u{301}'\u{301}", "\u{1F600}'",
    ]

    @Test func quotesAsSingleQuotedWords() {
        #expect(ShellQuoting.quote("abc") == "'abc'")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.commandLine(["a b", "c"]) == "'a b' 'c'")
    }

    /// A quote followed by a combining mark is one `Character` but still a quote byte for the shell.
    @Test func quotesAQuoteThatCarriesACombiningMark() {
        #expect(ShellQuoting.quote("'\u{301}") == "''\\''\u{301}'")
    }

    @Test(arguments: hostile)
    func roundTripsThroughARealShell(_ value: String) async throws {
        let directory = try TemporaryDirectory("quoting")
        defer { directory.remove() }
        // The shell parses the quoted word; printf gets it as one argument and prints it back.
        let result = try await CommandRunner.run(
            ["/bin/sh", "-c", "printf %s " + ShellQuoting.quote(value)],
            workingDirectory: directory.url
        )
        #expect(result.status == 0)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == value)
        #expect(directory.allEntries().isEmpty, "the shell created files: \(directory.allEntries())")
    }

    /// The same through a command line of several words, read back as "$@".
    @Test func commandLineRoundTripsEveryWord() async throws {
        let directory = try TemporaryDirectory("quoting")
        defer { directory.remove() }
        let script = #"for a in "$@"; do printf '%s\0' "$a"; done"#
        let result = try await CommandRunner.run(
            ["/bin/sh", "-c", "set -- " + ShellQuoting.commandLine(Self.hostile) + "; " + script],
            workingDirectory: directory.url
        )
        #expect(result.status == 0)
        var words = result.standardOutput.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(words.removeLast() == "")
        #expect(words == Self.hostile)
        #expect(directory.allEntries().isEmpty)
    }
}
