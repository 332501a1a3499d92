/// The `\bI\s+(am|was|feel|…|will)\b` part of the first-person rule.
enum FirstPersonVerbs {
    private static let verbs = ["am", "was", "feel", "think", "know", "understand", "believe",
                                "notice", "want", "need", "chose", "will"].map { StaticBytes(Array($0.utf8)) }

    /// Whether `p[i...]` is one or more `\s` then a listed verb ending at a word boundary.
    ///
    /// `i` is the index just after a word-initial `I`/`i`.
    @inline(__always)
    static func follow(_ p: UnsafePointer<UInt8>, _ n: Int, after i: Int) -> Bool {
        var j = i
        while j < n, ByteClass.isSpace(p[j]) { j += 1 }
        guard j > i else { return false }
        for verb in verbs where PhraseMatcher.matchBounded(p, n, at: j, verb.base, verb.count) >= 0 {
            return true
        }
        return false
    }
}
