import Foundation

/// Something a command is about to write, named by the flag that chose it.
public enum FileOutput: Sendable {
    /// One file, replaced whole.
    case file(flag: String, path: String)
    /// A directory the command writes into: no input may be it or live inside it. With `owned`, its contents are
    /// replaced as one set (``AtomicDirectory``) and an existing one may hold only those names (an earlier run's);
    /// without, the command adds and removes only entries of its own making (a work directory).
    case directory(flag: String, path: String, owned: Set<String>?)
}

/// The one check every command runs before it writes anything: no output is one of its inputs (same path, symlink
/// or hard link), no input lives inside an output directory that will be replaced, and a directory output is a
/// directory. Errors name both flags and paths.
public enum OutputCheck {
    public static func require(_ outputs: [FileOutput], distinctFrom inputs: [(name: String, path: String)]) throws {
        var others: [(name: String, path: String)] = inputs
        for output in outputs {
            switch output {
            case .file(let flag, let path):
                try FileIdentity.requireDistinct(output: path, flag, from: others)
                others.append((flag, path))
            case .directory(let flag, let path, let owned):
                try requireDirectory(flag, path, owned: owned, inputs: others)
                others.append((flag, path))
            }
        }
    }

    private static func requireDirectory(_ flag: String, _ path: String, owned: Set<String>?,
                                         inputs: [(name: String, path: String)]) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw SafeFileError(.notADirectory, "\(flag) '\(path)' is a file, not a directory: refusing to replace it")
        }
        let directory = FileIdentity.resolvedPath(path)
        let directoryIdentity = FileIdentity(path: path)
        for input in inputs {
            let resolved = FileIdentity.resolvedPath(input.path)
            if resolved == directory || resolved.hasPrefix(directory + "/")
                || (directoryIdentity != nil && FileIdentity(path: input.path) == directoryIdentity)
            {
                throw SafeFileError(
                    .sameAsInput,
                    "\(flag) '\(path)' is written into, and \(input.name) '\(input.path)' is the same file as, or inside, it: refusing to overwrite an input")
            }
        }
        guard exists, let owned else { return }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let foreign = names.filter { !owned.contains($0) }.sorted()
        if !foreign.isEmpty {
            let shown = foreign.prefix(5).joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
            throw SafeFileError(
                .foreignFiles,
                "\(flag) '\(path)' holds files this command did not write (\(shown)); replacing it would lose them: choose an empty or new directory")
        }
    }
}
