/// Unicode `White_Space` detection on UTF-8 bytes, as used by trim and word count.
///
/// The set is U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F and U+3000. Only complete, well-formed
/// sequences count; a stray byte is never whitespace.
enum UnicodeSpace {
    /// Byte length of the non-ASCII whitespace character starting at `p[i]`, or 0.
    @inline(__always)
    static func nonASCIILength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        switch p[i] {
        case 0xC2:
            guard i + 1 < n else { return 0 }
            let b1 = p[i + 1]
            return b1 == 0x85 || b1 == 0xA0 ? 2 : 0
        case 0xE1:
            return i + 2 < n && p[i + 1] == 0x9A && p[i + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard i + 2 < n else { return 0 }
            return isE2Space(p[i + 1], p[i + 2]) ? 3 : 0
        case 0xE3:
            return i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    /// Byte length of the whitespace character (ASCII or not) starting at `p[i]`, or 0.
    @inline(__always)
    static func length(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let byte = p[i]
        if byte < 0x80 { return ByteClass.isSpace(byte) ? 1 : 0 }
        return nonASCIILength(p, i, n)
    }

    /// Byte length of the whitespace character ending just before `end` (not reaching below `start`), or 0.
    @inline(__always)
    static func lengthEnding(_ p: UnsafePointer<UInt8>, at end: Int, from start: Int) -> Int {
        let last = p[end - 1]
        if last < 0x80 { return ByteClass.isSpace(last) ? 1 : 0 }
        if end - 2 >= start, p[end - 2] == 0xC2, last == 0x85 || last == 0xA0 { return 2 }
        guard end - 3 >= start else { return 0 }
        let b0 = p[end - 3], b1 = p[end - 2]
        switch b0 {
        case 0xE1: return b1 == 0x9A && last == 0x80 ? 3 : 0
        case 0xE2: return isE2Space(b1, last) ? 3 : 0
        case 0xE3: return b1 == 0x80 && last == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// The bounds of `p[start..<end]` with leading and trailing Unicode whitespace removed.
    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (start: Int, end: Int) {
        var lower = start
        while lower < end {
            let width = length(p, lower, end)
            if width == 0 { break }
            lower += width
        }
        var upper = end
        while upper > lower {
            let width = lengthEnding(p, at: upper, from: lower)
            if width == 0 { break }
            upper -= width
        }
        return (lower, upper)
    }

    /// U+2000–U+200A, U+2028, U+2029, U+202F (`E2 80 xx`) and U+205F (`E2 81 9F`).
    @inline(__always)
    private static func isE2Space(_ b1: UInt8, _ b2: UInt8) -> Bool {
        if b1 == 0x80 { return b2 <= 0x8A && b2 >= 0x80 || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF }
        return b1 == 0x81 && b2 == 0x9F
    }
}
