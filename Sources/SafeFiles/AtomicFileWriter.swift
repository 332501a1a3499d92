import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``AtomicFile`` for a file written piece by piece (the score file, per-item results, model files): buffered writes
/// (one `write(2)` per ``bufferBytes``) to a temporary file beside the destination; ``commit()`` flushes, `fsync`s,
/// closes and renames it over the destination, then syncs the directory, so the destination holds either the previous
/// file or the whole new one, across a crash too. A failed commit, ``discard()`` or a writer dropped without a
/// commit removes the temporary file. Used by one task at a time.
public final class AtomicFileWriter {
    /// The destination.
    public let path: String
    /// Where the bytes go until ``commit()``.
    public let temporaryPath: String
    /// Bytes buffered before a `write(2)`.
    public let bufferBytes: Int
    private var fd: Int32
    private var buffer: [UInt8] = []

    /// Creates the temporary file: `temporaryPath` (created or truncated), else a fresh hidden name beside `path`
    /// (whose directory must exist).
    public init(path: String, temporaryPath: String? = nil, bufferBytes: Int = 256 << 10) throws {
        self.path = path
        self.bufferBytes = max(1, bufferBytes)
        self.temporaryPath = try temporaryPath ?? AtomicFile.temporaryURL(for: URL(fileURLWithPath: path)).path
        fd = open(self.temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SafeFileError(.io, "cannot create '\(self.temporaryPath)': \(Self.reason())") }
        buffer.reserveCapacity(self.bufferBytes)
    }

    deinit { discard() }

    /// Whether bytes can still be written: neither committed nor discarded.
    public var isOpen: Bool { fd >= 0 }

    /// Bytes written so far, buffered or not.
    public private(set) var bytesWritten: UInt64 = 0

    /// Appends `bytes` (one at least ``bufferBytes`` long is written directly, not copied into the buffer).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw SafeFileError(.io, "cannot write '\(temporaryPath)': it was closed") }
        if bytes.count >= bufferBytes {
            try flush()
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= bufferBytes { try flush() }
        }
        bytesWritten += UInt64(bytes.count)
    }

    /// Appends `data`.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw SafeFileError(.io, "cannot write '\(temporaryPath)': it was closed") }
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = Foundation.write(fd, base + offset, min(bytes.count - offset, 1 << 30))
            guard written > 0 else {
                if written < 0 && errno == EINTR { continue }
                throw SafeFileError(.io, "cannot write '\(temporaryPath)': \(Self.reason())")
            }
            offset += written
        }
    }

    /// Writes what is buffered, syncs it to disk, closes the file, renames it over ``path`` and syncs the directory.
    /// On failure the temporary file is removed and the destination left as it was.
    public func commit() throws {
        guard fd >= 0 else { throw SafeFileError(.io, "'\(path)' was already closed") }
        do {
            try flush()
        } catch {
            discard()
            throw error
        }
        // Synced here, where a failure is seen, rather than by the rename's reopen: data not on disk must not
        // replace a good file.
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
        AtomicFile.syncDirectory(of: path)
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
