import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered, append-only file writer. Writes go to `<path>.partial`, which ``commit()`` renames over `path`:
/// readers never see a half-written file, and a failed or abandoned write leaves nothing at `path`.
final class FileSink {
    let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Bytes written so far, buffered or not.
    private(set) var offset: UInt64 = 0

    init(path: String, bufferSize: Int = 4 << 20) throws {
        self.path = path
        temporaryPath = path + ".partial"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw ModelFormatError(.io, "cannot create '\(temporaryPath)': \(String(cString: strerror(errno)))")
        }
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard fd >= 0 else { throw ModelFormatError(.invalidArgument, "write to '\(path)' after it was closed") }
        if bytes.count >= buffer.count {
            try flush()
            try writeAll(bytes)
        } else {
            if buffered + bytes.count > buffer.count { try flush() }
            UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + bytes.count)]).copyMemory(from: bytes)
            buffered += bytes.count
        }
        offset += UInt64(bytes.count)
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    func writeLittleEndian<T: FixedWidthInteger>(_ value: T) throws {
        try withUnsafeBytes(of: value.littleEndian) { try write($0) }
    }

    func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        let zeros = [UInt8](repeating: 0, count: min(count, 1 << 16))
        var left = count
        while left > 0 {
            let n = min(left, zeros.count)
            try zeros.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            left -= n
        }
    }

    func flush() throws {
        guard buffered > 0 else { return }
        try writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
        buffered = 0
    }

    /// Flushes, closes and renames the file into place.
    func commit() throws {
        try flush()
        guard fd >= 0 else { throw ModelFormatError(.invalidArgument, "'\(path)' was already closed") }
        let result = close(fd)
        fd = -1
        guard result == 0 else {
            unlink(temporaryPath)
            throw ModelFormatError(.io, "cannot close '\(temporaryPath)': \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ModelFormatError(.io, "cannot rename '\(temporaryPath)' to '\(path)': \(reason)")
        }
    }

    /// Closes and deletes the partial file.
    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
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
                throw ModelFormatError(.io, "cannot write '\(temporaryPath)': \(String(cString: strerror(errno)))")
            }
            pointer += n
            left -= n
        }
    }
}
