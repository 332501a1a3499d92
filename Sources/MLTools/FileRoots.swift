import Foundation

/// The directories tools may read and write files in (`--root DIR`, default the working directory). A client's path
/// is resolved against the first root when relative and must lie inside one root with every symbolic link followed,
/// so `../`, absolute paths and links cannot reach the rest of the machine.
public struct FileRoots: Sendable, Hashable {
    /// Canonical absolute paths (symbolic links resolved).
    public let directories: [String]

    /// Each directory must exist; they are canonicalised now.
    public init(_ directories: [String]) throws {
        guard !directories.isEmpty else { throw ToolError(.invalidArgument, "no root directory given") }
        self.directories = try directories.map { directory in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
                  let canonical = Self.canonical(directory)
            else { throw ToolError(.invalidArgument, "root '\(directory)' is not a directory") }
            return canonical
        }
    }

    /// The canonical path `path` names, when it lies inside a root. An output that does not exist yet must have an
    /// existing parent directory inside a root.
    public func resolve(_ path: String) throws -> String {
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw ToolError(.invalidArgument, "an empty path or one with a NUL byte")
        }
        let absolute = path.hasPrefix("/") ? path : (directories[0] as NSString).appendingPathComponent(path)
        let standardized = (absolute as NSString).standardizingPath
        let resolved: String?
        if FileManager.default.fileExists(atPath: standardized) {
            resolved = Self.canonical(standardized)
        } else {
            let parent = (standardized as NSString).deletingLastPathComponent
            resolved = Self.canonical(parent).map { ($0 as NSString).appendingPathComponent((standardized as NSString).lastPathComponent) }
        }
        guard let resolved, contains(resolved) else {
            throw ToolError(.outsideRoot, "'\(path)' is outside the directories this server may use (\(directories.joined(separator: ", "))); "
                            + "give a path inside one, or start the server with --root for another")
        }
        return resolved
    }

    /// Whether a canonical path lies inside (or is) one of the roots.
    public func contains(_ canonicalPath: String) -> Bool {
        directories.contains { root in
            canonicalPath == root || canonicalPath.hasPrefix(root == "/" ? "/" : root + "/")
        }
    }

    /// `realpath(3)`: the path with every symbolic link, `.` and `..` resolved; nil when it does not exist.
    static func canonical(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
