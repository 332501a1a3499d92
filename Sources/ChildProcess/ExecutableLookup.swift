import Foundation

/// The one way a program name becomes an executable path, for every child process of swift-ml.
public enum ExecutableLookup {
    /// The search path when `PATH` is not set.
    public static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// `program` itself when it contains a `/` (it must be an executable file), else the first executable file of
    /// that name in `environment`'s `PATH` (an empty entry is the current directory, as for a shell). Throws
    /// ``ChildProcessError`` with ``ChildProcessErrorCode/launchFailed`` naming the program.
    public static func resolve(
        _ program: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        if program.contains("/") {
            guard isExecutableFile(program) else {
                throw ChildProcessError(.launchFailed, "'\(program)' is not an executable file")
            }
            return program
        }
        let searchPath = environment["PATH"] ?? defaultSearchPath
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if isExecutableFile(candidate) { return candidate }
        }
        throw ChildProcessError(.launchFailed, "'\(program)' was not found in PATH")
    }

    /// Whether `path` is an executable file (not a directory).
    public static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
