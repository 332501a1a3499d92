/// Classification of a single UTF-8 byte, as seen by the single-pass scanners.
///
/// Word characters are ASCII `[0-9A-Za-z_]` only; every byte of a non-ASCII
/// character is a non-word byte. The ASCII whitespace class is the spec's
/// `\s`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
enum ByteClass {
    /// `A-Z`, `a-z`: a word character that can start a phrase.
    static let letter: UInt8 = 0
    /// `0-9`, `_`: a word character that starts no phrase.
    static let digit: UInt8 = 1
    /// ASCII whitespace other than `\n`.
    static let space: UInt8 = 2
    /// `\n`: whitespace and line separator.
    static let newline: UInt8 = 3
    /// `.`: sentence separator.
    static let period: UInt8 = 4
    /// `#`, `*`, `<`: first byte of a marker the scorer looks for.
    static let marker: UInt8 = 5
    /// Any other byte: ASCII punctuation, controls, continuation bytes, other lead bytes.
    static let other: UInt8 = 6
    /// Lead byte of a character that may be Unicode whitespace, `K` (U+212A) or `ſ` (U+017F).
    static let lead: UInt8 = 7

    /// The 256-entry class table (allocated once, immutable afterwards).
    static let table: StaticBytes = StaticBytes(count: 256) { index in
        let byte = UInt8(index)
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): return letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): return digit
        case 0x09, 0x0B, 0x0C, 0x0D, 0x20: return space
        case 0x0A: return newline
        case UInt8(ascii: "."): return period
        case UInt8(ascii: "#"), UInt8(ascii: "*"), UInt8(ascii: "<"): return marker
        case 0xC2, 0xC5, 0xE1, 0xE2, 0xE3: return lead
        default: return other
        }
    }

    /// Whether `byte` is an ASCII word character `[0-9A-Za-z_]`.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// Whether `byte` is in the ASCII whitespace class (`\s`).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// 0x80 in each byte of the little-endian word `w` that is an ASCII word character, 0 elsewhere.
    @inline(__always)
    static func wordMask(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let x = w & 0x7F7F_7F7F_7F7F_7F7F
        let folded = x | 0x2020_2020_2020_2020
        // Per byte, with no carries between bytes (all values stay below 0x100):
        // 0x61...0x7A after folding, 0x30...0x39, or exactly 0x5F.
        let letter = (folded &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(folded &+ 0x0505_0505_0505_0505)
        let digit = (x &+ 0x5050_5050_5050_5050) & ~(x &+ 0x4646_4646_4646_4646)
        let underscore = ~((x ^ 0x5F5F_5F5F_5F5F_5F5F) &+ 0x7F7F_7F7F_7F7F_7F7F)
        return (letter | digit | underscore) & ~w & high
    }
}
