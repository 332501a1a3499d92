import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in chunks that appears whole or not at all (``AtomicFile`` for a writer that streams): the chunks
/// go to a temporary file beside the destination; ``commit()`` flushes it to disk, renames it over the destination
/// and syncs the directory, so the rename survives a crash too. A failed commit, ``discard()`` or a writer dropped
/// before its commit removes the temporary file and leaves the destination as it was. Unbuffered (each ``write(_:)``
/// is a system call) and not thread-safe: one owner writes it.
public final class StreamingAtomicFile {
    /// The destination.
    public let path: String
    /// Where the chunks go until ``commit()``.
    public let temporaryPath: String
    private var fd: Int32

    /// Creates (or truncates) the temporary file: `temporaryPath`, else a fresh hidden name beside `path`
    /// (``AtomicFile/temporaryURL(for:)``, whose directory must exist).
    public init(path: String, temporaryPath: String? = nil) throws {
        self.path = path
        self.temporaryPath = try temporaryPath ?? AtomicFile.temporaryURL(for: URL(fileURLWithPath: path)).path
        fd = open(self.temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SafeFileError(.io, "cannot create '\(self.temporaryPath)': \(Self.reason())")
        }
    }

    deinit { discard() }

    /// Whether chunks can still be written: neither committed nor discarded.
    public var isOpen: Bool { fd >= 0 }

    /// Appends `bytes` (all of them: short writes and interruptions are retried).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw SafeFileError(.io, "cannot write '\(temporaryPath)': it was closed") }
        guard var pointer = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fd, pointer, min(left, 1 << 30))
            #else
            let n = Darwin.write(fd, pointer, min(left, 1 << 30))
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw SafeFileError(.io, "cannot write '\(temporaryPath)': \(Self.reason())")
            }
            pointer += n
            left -= n
        }
    }

    /// Flushes the file to disk, closes it, renames it over ``path`` and syncs the directory. On failure the
    /// temporary file is removed.
    public func commit() throws {
        guard fd >= 0 else { throw SafeFileError(.io, "'\(path)' was already closed") }
        let synced = fsync(fd) == 0 ? nil : Self.reason()
        let closed = close(fd) == 0 ? nil : Self.reason()
        fd = -1
        if let reason = synced ?? closed {
            unlink(temporaryPath)
            throw SafeFileError(.io, "cannot \(synced != nil ? "sync" : "close") '\(temporaryPath)': \(reason)")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = Self.reason()
            unlink(temporaryPath)
            throw SafeFileError(.io, "cannot rename '\(temporaryPath)' to '\(path)': \(reason)")
        }
        // Best effort: the file is in place; a directory that cannot be synced does not undo that.
        let directory = (path as NSString).deletingLastPathComponent
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Closes and removes the temporary file; the destination is left as it was. Idempotent.
    public func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
