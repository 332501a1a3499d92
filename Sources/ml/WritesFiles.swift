import ArgumentParser
import SafeFiles

/// A command that writes files names its inputs and outputs, so one check (``OutputCheck``) refuses, before anything
/// is opened or written, an output that is one of its inputs, an input inside a directory it replaces, or a file
/// where it needs a directory. Every command with an output flag conforms; `scripts/tests/outputs.sh` walks them all.
protocol WritesFiles {
    /// The files and directories the command reads, by flag.
    var fileInputs: [(name: String, path: String)] { get }
    /// What the command writes, by flag.
    var fileOutputs: [FileOutput] { get }
}

extension WritesFiles {
    /// Runs the check on ``fileOutputs`` and ``fileInputs``; a refusal is printed and exits 1. (Commands whose paths
    /// come from settings — a config file, the environment — call ``OutputCheck`` on the resolved ones.)
    func checkOutputs() throws {
        do {
            try OutputCheck.require(fileOutputs, distinctFrom: fileInputs)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// `(flag, path)` for each given path; `postgres://` workspaces are not files and are left out.
    static func files(_ pairs: [(String, String?)]) -> [(name: String, path: String)] {
        pairs.compactMap { name, path in
            guard let path, !path.hasPrefix("postgres://"), !path.hasPrefix("postgresql://") else { return nil }
            return (name, path)
        }
    }

    static func files(_ name: String, _ paths: [String]) -> [(name: String, path: String)] {
        files(paths.map { (name, $0) })
    }
}
