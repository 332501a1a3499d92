import Foundation

/// One line of a line-based text file, numbered from 1, without its line ending.
public struct TextLine: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// The line's text (a trailing `\r` of a CRLF ending removed).
        case text(String)
        /// The line is not valid UTF-8; `byteOffset` is where, within the line, decoding failed.
        case invalidUTF8(byteOffset: Int)
        /// A line longer than the reader's limit; its bytes were skipped.
        case tooLong(bytes: Int)
    }

    public var number: Int
    public var content: Content

    /// Why the line cannot be read as text, or nil when it can.
    public var problem: String? {
        switch content {
        case .text: nil
        case .invalidUTF8(let offset): "not UTF-8 text (invalid byte at column \(offset + 1))"
        case .tooLong(let bytes): "line of \(bytes) bytes is longer than the limit; skipped"
        }
    }
}

/// The one reader of line-based text files that users write (imports, reference files to ingest): lines end at
/// `\n` or `\r\n`, each is decoded as strict UTF-8 on its own, so one bad line is named by number and the rest of the
/// file is still read. Memory is bounded as in the scorer's reader (a chunk plus one line).
///
/// The scoring path keeps its own contract (invalid UTF-8 becomes U+FFFD, as the reference scorer does); everything
/// that stores a user's text uses this reader instead, so nothing is silently altered.
public final class TextLineReader {
    private let reader: LineReader
    private var number = 0

    /// Opens the regular file at `path`; a missing, unreadable or non-regular one is a ``FileError`` naming it.
    public init(path: String, maxLineBytes: Int = 64 << 20) throws {
        reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
    }

    /// The next line, or nil at the end of the file.
    public func next() throws -> TextLine? {
        guard let line = try reader.nextLine() else { return nil }
        number += 1
        switch line {
        case .tooLong(let bytes):
            return TextLine(number: number, content: .tooLong(bytes: bytes))
        case .bytes(let bytes):
            var bytes = bytes[...]
            if bytes.last == 13 { bytes = bytes.dropLast() }
            return TextLine(number: number, content: Self.decode(bytes))
        }
    }

    /// Every line of the file at `path`.
    public static func lines(path: String) throws -> [TextLine] {
        let reader = try TextLineReader(path: path)
        var lines: [TextLine] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    /// Strict decoding: `String(decoding:)` would turn a bad byte into U+FFFD and store altered text.
    static func decode(_ bytes: ArraySlice<UInt8>) -> TextLine.Content {
        if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                offset += UTF8.width(scalar)
            case .emptyInput:
                break loop
            case .error:
                return .invalidUTF8(byteOffset: offset)
            }
        }
        return .text(String(scalars))
    }
}
