/// POSIX shell quoting, for the one place a shell must parse our words: the command line `ssh` hands the remote shell.
package enum ShellQuoting {
    /// `s` as one single-quoted POSIX shell word: `'` + `s` with every `'` replaced by `'\''` + `'`.
    ///
    /// Inside single quotes a POSIX shell interprets nothing (no `$`, backticks, `\`, globs; newlines end nothing),
    /// so the word reads back as exactly `s`. The replacement works on Unicode scalars, not `Character`s: a `'`
    /// followed by a combining mark is one `Character` but still a quote byte to the shell. A NUL byte cannot pass
    /// through a command line at all: callers reject it (``TransportError/Code/invalidArgument``).
    package static func quote(_ s: String) -> String {
        var quoted = "'"
        for scalar in s.unicodeScalars {
            if scalar == "'" {
                quoted += #"'\''"#
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
        quoted += "'"
        return quoted
    }

    /// Each word quoted, joined by spaces: a command line that a POSIX shell splits back into exactly `words`.
    package static func commandLine(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
