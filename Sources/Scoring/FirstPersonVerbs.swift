/// The `\bI\s+(am|was|feel|…|will)\b` part of the first-person rule.
enum FirstPersonVerbs {
    /// Whether `p[i...]` is one or more `\s` then a listed verb ending at a word boundary.
    ///
    /// `i` is the index just after a word-initial `I`/`i`.
    @inline(__always)
    static func follow(_ p: UnsafePointer<UInt8>, _ n: Int, after i: Int) -> Bool {
        var j = i
        while j < n, ByteClass.isSpace(p[j]) { j &+= 1 }
        guard j > i, j < n, let lead = PhraseTable.leadLetter(p, n, at: j) else { return false }
        let table = PhraseTable.firstPersonVerbs
        let window = j &+ 8 <= n ? UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self) : 0
        for k in table.candidates(p, n, letter: lead.letter, next: j &+ lead.width)
        where table.match(k, p, n, at: j, window: window) >= 0 {
            return true
        }
        return false
    }
}
