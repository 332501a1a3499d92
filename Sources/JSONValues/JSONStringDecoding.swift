/// The one decoder of a JSON string literal's escapes (RFC 8259 §7), over raw bytes: what the strict model-file
/// parser and the scorer's fast line scanner share. It returns the decoded UTF-8 bytes, not a `String`: callers
/// differ on invalid UTF-8 (one refuses it, the other repairs it to U+FFFD, as `String(decoding:as:)` does).
public enum JSONStringDecoding {
    /// Why a string literal is not valid JSON; the decoder's `index` is left where the problem was found.
    public enum Failure: Error, Sendable, Hashable {
        /// The input ended before the closing quote.
        case unterminatedString
        /// A byte below 0x20 inside the string.
        case controlCharacter
        /// The input ended right after a backslash.
        case unterminatedEscape
        /// Fewer than four bytes after `\u`.
        case truncatedUnicodeEscape
        /// A non-hex digit in `\uXXXX`.
        case invalidUnicodeEscape
        /// A high surrogate escape without a following `\u`, or a low surrogate escape on its own.
        case unpairedSurrogate
        /// A high surrogate escape followed by a `\u` escape that is not a low surrogate.
        case invalidLowSurrogate
        /// A backslash followed by this byte, which starts no escape.
        case invalidEscape(UInt8)

        /// The failure as the strict parser words it.
        public var message: String {
            switch self {
            case .unterminatedString: "unterminated string"
            case .controlCharacter: "unescaped control character in a string"
            case .unterminatedEscape: "unterminated escape"
            case .truncatedUnicodeEscape: "truncated \\u escape"
            case .invalidUnicodeEscape: "invalid \\u escape"
            case .unpairedSurrogate: "unpaired surrogate in \\u escape"
            case .invalidLowSurrogate: "invalid low surrogate in \\u escape"
            case .invalidEscape(let byte): "invalid escape '\\\(Character(Unicode.Scalar(byte)))'"
            }
        }
    }

    /// Decodes the string literal whose opening quote is at `bytes[index]`, leaving `index` just past its closing
    /// quote — or, on failure, where the problem is. Surrogate pairs are joined; unescaped bytes are copied as they
    /// are (their UTF-8 is the caller's to check).
    public static func decode(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(Failure) -> [UInt8] {
        index += 1
        var utf8: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw .unterminatedString }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                utf8 += bytes[runStart..<index]
                index += 1
                return utf8
            }
            if byte < 0x20 { throw .controlCharacter }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            utf8 += bytes[runStart..<index]
            index += 1
            guard index < bytes.count else { throw .unterminatedEscape }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(bytes, at: &index)
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw .unpairedSurrogate }
                    index += 2
                    let low = try hex4(bytes, at: &index)
                    guard (0xDC00..<0xE000).contains(low) else { throw .invalidLowSurrogate }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .unpairedSurrogate
                }
                guard let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) else {
                    throw .invalidUnicodeEscape
                }
                utf8 += encoded
            default: throw .invalidEscape(escaped)
            }
            runStart = index
        }
    }

    /// The four hex digits at `index` (after `\u`), moving past them.
    private static func hex4(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .truncatedUnicodeEscape }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw .invalidUnicodeEscape
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
