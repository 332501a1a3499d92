/// Case-insensitive literal matching on UTF-8 bytes with Unicode simple case folding.
///
/// Patterns are stored lower-cased. A pattern letter matches its ASCII upper
/// and lower case; in addition `k` matches `K` (U+212A KELVIN SIGN, `E2 84 AA`)
/// and `s` matches `ſ` (U+017F LATIN SMALL LETTER LONG S, `C5 BF`) — the only
/// non-ASCII code points whose simple case folding is an ASCII letter.
/// Any other pattern byte matches only itself.
enum PhraseMatcher {
    /// End of the match of `pattern` at `p[start]`, bounded by `n`, or -1.
    ///
    /// No word boundary is checked. `lastIsWord` reports whether the last
    /// matched character is an ASCII word character (a folded `K`/`ſ` is not).
    @inline(__always)
    static func match(
        _ p: UnsafePointer<UInt8>, _ n: Int, at start: Int,
        _ pattern: UnsafePointer<UInt8>, _ length: Int,
        lastIsWord: inout Bool
    ) -> Int {
        var i = start
        var k = 0
        var word = false
        while k < length {
            guard i < n else { return -1 }
            let c = pattern[k]
            let t = p[i]
            if c >= 0x61 {
                // Lower-case letter: t is c or its upper case exactly when t | 0x20 == c.
                if t | 0x20 == c {
                    i &+= 1
                    word = true
                } else if c == 0x6B, t == 0xE2, i + 2 < n, p[i + 1] == 0x84, p[i + 2] == 0xAA {
                    i &+= 3
                    word = false
                } else if c == 0x73, t == 0xC5, i + 1 < n, p[i + 1] == 0xBF {
                    i &+= 2
                    word = false
                } else {
                    return -1
                }
            } else {
                guard t == c else { return -1 }
                i &+= 1
                word = ByteClass.isWord(c)
            }
            k &+= 1
        }
        lastIsWord = word
        return i
    }

    /// End of the match of `pattern` at `p[start]` followed by a word boundary, or -1.
    ///
    /// The caller is responsible for the boundary before `start`.
    @inline(__always)
    static func matchBounded(
        _ p: UnsafePointer<UInt8>, _ n: Int, at start: Int,
        _ pattern: UnsafePointer<UInt8>, _ length: Int
    ) -> Int {
        var lastIsWord = false
        let end = match(p, n, at: start, pattern, length, lastIsWord: &lastIsWord)
        guard end >= 0 else { return -1 }
        let nextIsWord = end < n && ByteClass.isWord(p[end])
        return lastIsWord != nextIsWord ? end : -1
    }

    /// End of `pattern` matched at `p[start]` (case-insensitively, no boundary), or -1.
    @inline(__always)
    static func prefixEnd(_ p: UnsafePointer<UInt8>, _ n: Int, at start: Int, _ pattern: StaticBytes) -> Int {
        var lastIsWord = false
        return match(p, n, at: start, pattern.base, pattern.count, lastIsWord: &lastIsWord)
    }
}
