import SafeFiles

/// An append-only writer of a model file through SafeFiles' ``AtomicFileWriter`` (4 MiB buffer). Writes go to
/// `<path>.partial`, which ``commit()`` syncs to disk and renames over `path`: readers never see a half-written
/// file, and a failed or abandoned write leaves nothing at `path`. Errors are this module's `io` errors.
final class FileSink {
    let path: String
    private let file: AtomicFileWriter

    init(path: String, bufferSize: Int = 4 << 20) throws {
        self.path = path
        file = try Self.io { try AtomicFileWriter(path: path, temporaryPath: path + ".partial", bufferBytes: bufferSize) }
    }

    /// Bytes written so far, buffered or not.
    var offset: UInt64 { file.bytesWritten }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard file.isOpen else { throw ModelFormatError(.invalidArgument, "write to '\(path)' after it was closed") }
        try Self.io { try file.write(bytes) }
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

    func flush() throws { try Self.io { try file.flush() } }

    /// Flushes, syncs and renames the file into place.
    func commit() throws {
        guard file.isOpen else { throw ModelFormatError(.invalidArgument, "'\(path)' was already closed") }
        try Self.io { try file.commit() }
    }

    /// Closes and deletes the partial file.
    func discard() { file.discard() }

    /// Runs `body`, its SafeFiles error as this module's `io` error with the same message.
    private static func io<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SafeFileError {
            throw ModelFormatError(.io, error.message, underlying: error)
        }
    }
}
