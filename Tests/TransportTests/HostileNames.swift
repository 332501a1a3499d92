import Foundation

/// Directory and file names that would run commands, split words or read as options if any shell or program
/// misread them. The `touch` targets are unique per run, so a sentinel that appears can only come from this run.
struct HostileNames: Sendable {
    let tag = UUID().uuidString.prefix(8).lowercased()

    /// The files an injection would create (relative names: they land in some process's working directory).
    var sentinels: [String] { ["PWNED-\(tag)", "X-\(tag)", "B-\(tag)", "Q-\(tag)"] }

    var names: [String] {
        [
            "run; touch PWNED-\(tag)",
            "a'b",
            "$(touch X-\(tag))",
            "`touch B-\(tag)`",
            "it's \"quoted\"; touch Q-\(tag) #",
            "sp ace\nnew line",
            "-rf",
            "back\\slash *?[x]",
            "caf\u{E9} \u{301}'\u{301}",
        ]
    }

    /// Sentinels found in `directories` (none, when nothing was executed).
    func sentinelsFound(in directories: [String]) -> [String] {
        directories.flatMap { directory in
            sentinels.map { directory + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        }
    }

    /// Where a misread name would have run a command: the home directory (the remote login directory, same user),
    /// the current directory and the temporary directory.
    static var likelyWorkingDirectories: [String] {
        [
            FileManager.default.homeDirectoryForCurrentUser.path,
            FileManager.default.currentDirectoryPath,
            FileManager.default.temporaryDirectory.path,
        ]
    }
}
