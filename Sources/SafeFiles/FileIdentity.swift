import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file as the file system knows it: device and inode (so two paths, a symlink or a hard link that reach the same
/// file compare equal), plus its resolved path.
public struct FileIdentity: Sendable, Hashable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file at `path` (symlinks followed), or `nil` when there is none.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// `path` with symlinks resolved; for a file that does not exist yet, its directory resolved plus its name.
    public static func resolvedPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
        return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
    }

    /// Throws ``SafeFileError/Code/sameAsInput`` when the output `output` (described as `outputName`, e.g.
    /// "--output") is the same file as one of `inputs` (name, path): same resolved path, or same device and inode
    /// (symlinks, hard links). Call it before writing anything.
    public static func requireDistinct(output: String, _ outputName: String, from inputs: [(name: String, path: String)]) throws {
        let outputPath = resolvedPath(output)
        let outputIdentity = FileIdentity(path: output)
        for input in inputs {
            let same = resolvedPath(input.path) == outputPath
                || (outputIdentity != nil && FileIdentity(path: input.path) == outputIdentity)
            if same {
                throw SafeFileError(
                    .sameAsInput,
                    "\(outputName) '\(output)' is the same file as \(input.name) '\(input.path)': refusing to overwrite an input")
            }
        }
    }
}
