import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a local file so that it appears whole or not at all: a temporary name in the destination's directory,
/// flushed to disk, then `rename(2)` over the destination. A crash or `kill -9` mid-write leaves the previous file
/// (or none), never a truncated one; the temporary file is removed when anything fails.
public enum AtomicFile {
    /// Runs `write` with a fresh temporary path beside `destination`, then renames that file into place.
    public static func write(to destination: URL, _ write: (URL) async throws -> Void) async throws {
        let temporary = try temporaryURL(for: destination)
        do {
            try await write(temporary)
            try commit(temporary, to: destination)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Synchronous ``write(to:_:)``.
    public static func write(to destination: URL, _ write: (URL) throws -> Void) throws {
        let temporary = try temporaryURL(for: destination)
        do {
            try write(temporary)
            try commit(temporary, to: destination)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Writes `data` to `path` atomically (through ``AtomicFileWriter``).
    public static func write(_ data: Data, toPath path: String) throws {
        let writer = try AtomicFileWriter(path: path, bufferBytes: max(1, data.count))
        try writer.write(data)
        try writer.commit()
    }

    /// A fresh, unused temporary path in `destination`'s directory (which must exist).
    public static func temporaryURL(for destination: URL) throws -> URL {
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SafeFileError(.missingDirectory, "destination directory '\(directory.path)' of '\(destination.path)' does not exist")
        }
        return directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
    }

    /// Flushes `temporary` to disk and renames it over `destination`.
    public static func commit(_ temporary: URL, to destination: URL) throws {
        let fd = open(temporary.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw SafeFileError(.io, "cannot rename into '\(destination.path)': \(String(cString: strerror(errno)))")
        }
        syncDirectory(of: destination.path)
    }

    /// Syncs the directory holding `path`, so a rename into it survives a crash. Best effort: the file is in place
    /// either way.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
