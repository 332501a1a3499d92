import Foundation

/// One line of a JSON-lines input.
enum RawLine: Sendable, Equatable {
    case text(String)
    /// A line longer than the reader's limit; its bytes were skipped.
    case tooLong(bytes: Int)
}

/// Reads a file line by line with bounded memory: a fixed-size chunk buffer plus at most one line.
///
/// Lines end at `\n` (a trailing `\r` is left to the JSON parser, which ignores it). A line longer than
/// `maxLineBytes` is skipped and reported as ``RawLine/tooLong(bytes:)``.
final class LineReader {
    private let handle: FileHandle
    private let chunkSize: Int
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEOF = false

    init(handle: FileHandle, chunkSize: Int = 1 << 16, maxLineBytes: Int = 64 << 20) {
        self.handle = handle
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    /// Opens the regular file at `path`; a missing, unreadable or non-regular one (a directory) is a ``FileError``
    /// naming it, thrown before the caller touches anything else.
    convenience init(path: String, maxLineBytes: Int = 64 << 20) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.posix(path: path, "cannot open") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = FileError.posix(path: path, "cannot stat")
            close(fd)
            throw error
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
            throw FileError(.notAFile, path: path, "is \(kind), not a JSON-lines file")
        }
        self.init(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), maxLineBytes: maxLineBytes)
    }

    deinit { try? handle.close() }

    /// Whether the last line returned (or the file, when empty) ended without a newline.
    private(set) var lastLineUnterminated = false

    /// The index of the first `\n` at or after `start` (memchr: a byte loop here cost as much as decoding).
    private static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            guard start < bytes.count, let base = bytes.baseAddress,
                  let hit = memchr(base + start, 10, bytes.count - start)
            else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }

    /// The next line, as a range of ``buffer`` valid until the next call, or the size of a skipped over-long line.
    private enum Span {
        case bytes(Range<Int>)
        case tooLong(Int)
    }

    private func nextSpan() throws -> Span? {
        var skipped = 0
        while true {
            if let newline = Self.newline(in: buffer, from: scanned) {
                defer {
                    start = newline + 1
                    scanned = start
                }
                lastLineUnterminated = false
                if skipped > 0 { return .tooLong(skipped + newline - start) }
                return .bytes(start..<newline)
            }
            scanned = buffer.count
            if atEOF {
                guard start < buffer.count || skipped > 0 else { return nil }
                // The caller reads the span before the next call, which empties the buffer.
                defer {
                    start = buffer.count
                    scanned = start
                }
                lastLineUnterminated = true
                if skipped > 0 { return .tooLong(skipped + buffer.count - start) }
                return .bytes(start..<buffer.count)
            }
            if buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                scanned -= start
                start = 0
            }
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty { atEOF = true } else { buffer.append(contentsOf: data) }
        }
    }

    func next() throws -> RawLine? {
        switch try nextSpan() {
        case nil: return nil
        case .tooLong(let bytes): return .tooLong(bytes: bytes)
        case .bytes(let range): return .text(String(decoding: buffer[range], as: UTF8.self))
        }
    }

    /// The next line as its own bytes (without the `\n`), or the size of a skipped over-long line.
    func nextLine() throws -> OwnedLine? {
        switch try nextSpan() {
        case nil: nil
        case .tooLong(let bytes): .tooLong(bytes)
        case .bytes(let range): .bytes(Array(buffer[range]))
        }
    }

    enum OwnedLine {
        case bytes([UInt8])
        case tooLong(Int)
    }

    /// The next lines, at most `maxLines` and, past the first line, about `maxBytes`, copied into one
    /// ``LineBatch``; nil at the end of the file. No per-line `String`: the scorer reads the bytes.
    func nextBatch(firstLineNumber: Int, maxLines: Int, maxBytes: Int) throws -> LineBatch? {
        var batch = LineBatch(firstLineNumber: firstLineNumber)
        while batch.lines.count < maxLines, batch.bytes.count < maxBytes, let span = try nextSpan() {
            switch span {
            case .tooLong(let bytes): batch.lines.append(.tooLong(bytes: bytes))
            case .bytes(let range): batch.append(buffer[range])
            }
        }
        return batch.lines.isEmpty ? nil : batch
    }
}

/// Consecutive lines of a JSON-lines input in one byte buffer: what the scoring engine hands to the cores.
struct LineBatch: Sendable {
    enum Line: Sendable, Equatable {
        /// The line's bytes in ``LineBatch/bytes`` (without its newline).
        case bytes(Range<Int>)
        /// A line longer than the reader's limit; its bytes were skipped.
        case tooLong(bytes: Int)
    }

    /// The input line number of ``lines``' first element (1-based).
    var firstLineNumber: Int
    var bytes: [UInt8] = []
    var lines: [Line] = []

    init(firstLineNumber: Int) { self.firstLineNumber = firstLineNumber }

    mutating func append<Bytes: Collection<UInt8>>(_ line: Bytes) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        lines.append(.bytes(start..<bytes.count))
    }

    /// Calls `body` with the bytes of the line at `range`.
    func withLine<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
