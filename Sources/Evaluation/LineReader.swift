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

    func next() throws -> RawLine? {
        var skipped = 0
        while true {
            if let newline = Self.newline(in: buffer, from: scanned) {
                defer {
                    start = newline + 1
                    scanned = start
                }
                lastLineUnterminated = false
                if skipped > 0 { return .tooLong(bytes: skipped + newline - start) }
                return .text(String(decoding: buffer[start..<newline], as: UTF8.self))
            }
            scanned = buffer.count
            if atEOF {
                guard start < buffer.count || skipped > 0 else { return nil }
                defer {
                    buffer.removeAll()
                    start = 0
                    scanned = 0
                }
                lastLineUnterminated = true
                if skipped > 0 { return .tooLong(bytes: skipped + buffer.count - start) }
                return .text(String(decoding: buffer[start...], as: UTF8.self))
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
}

/// The lines of a file as an `AsyncSequence` of strings, read with bounded memory (an over-long line is skipped).
public struct FileLines: AsyncSequence, Sendable {
    public typealias Element = String
    public let path: String

    public init(path: String) { self.path = path }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: LineReader?
        let error: (any Error)?

        public mutating func next() async throws -> String? {
            if let error { throw error }
            while let line = try reader?.next() {
                if case .text(let text) = line { return text }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        do {
            return AsyncIterator(reader: try LineReader(path: path), error: nil)
        } catch {
            return AsyncIterator(reader: nil, error: error)
        }
    }
}
