import SafeFiles

/// A buffered, append-only writer of a model file through SafeFiles' ``StreamingAtomicFile``. Writes go to
/// `<path>.partial`, which ``commit()`` flushes to disk and renames over `path`: readers never see a half-written
/// file, and a failed or abandoned write leaves nothing at `path`.
final class FileSink {
    let path: String
    private let file: StreamingAtomicFile
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Bytes written so far, buffered or not.
    private(set) var offset: UInt64 = 0

    init(path: String, bufferSize: Int = 4 << 20) throws {
        self.path = path
        file = try Self.io { try StreamingAtomicFile(path: path, temporaryPath: path + ".partial") }
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard file.isOpen else { throw ModelFormatError(.invalidArgument, "write to '\(path)' after it was closed") }
        if bytes.count >= buffer.count {
            try flush()
            try Self.io { try file.write(bytes) }
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
        try Self.io { try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered])) }
        buffered = 0
    }

    /// Flushes, syncs and renames the file into place.
    func commit() throws {
        try flush()
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
