import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``AtomicFile`` for a file written piece by piece: buffered writes (one `write(2)` per ``bufferBytes``) to a
/// temporary file beside the destination; ``commit()`` flushes, `fsync`s, closes and renames it over the destination,
/// so the destination holds either the previous file or the whole new one. Dropped without a commit, it removes the
/// temporary file. Used by one task at a time.
public final class AtomicFileWriter {
    /// The destination.
    public let path: String
    /// Where the bytes go until ``commit()``.
    public let temporary: URL
    /// Bytes buffered before a `write(2)`.
    public let bufferBytes: Int
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Creates the temporary file beside `path` (whose directory must exist).
    public init(path: String, bufferBytes: Int = 256 << 10) throws {
        self.path = path
        self.bufferBytes = bufferBytes
        temporary = try AtomicFile.temporaryURL(for: URL(fileURLWithPath: path))
        fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SafeFileError(.io, "cannot create '\(temporary.path)' to write it") }
        buffer.reserveCapacity(bufferBytes)
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporary.path) }
    }

    /// Bytes written so far, buffered or not.
    public private(set) var bytesWritten: UInt64 = 0

    /// Appends `bytes` (one at least ``bufferBytes`` long is written directly, not copied into the buffer).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
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
        guard fd >= 0 else { throw SafeFileError(.io, "'\(path)' was already committed") }
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = Foundation.write(fd, base + offset, bytes.count - offset)
            guard written > 0 else {
                if written < 0 && errno == EINTR { continue }
                throw SafeFileError(.io, "cannot write '\(temporary.path)': \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Writes what is buffered, syncs it to disk, closes the file and renames it over ``path``.
    public func commit() throws {
        try flush()
        guard fd >= 0 else { throw SafeFileError(.io, "'\(path)' was already committed") }
        // Synced here, where a failure is seen, rather than by the rename's reopen: data not on disk must not
        // replace a good file.
        let synced = fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        fd = -1
        guard synced else { throw SafeFileError(.io, "cannot sync '\(temporary.path)': \(reason)") }
        try AtomicFile.commit(temporary, to: URL(fileURLWithPath: path))
        committed = true
    }
}
