/// Word-bounded phrase alternations, bucketed by their first two bytes for a single-pass scan.
///
/// Each group is one reference pattern `(alt1|alt2|…)\b` (case-insensitive,
/// Unicode simple case folding). A bucket holds the entries whose first letter
/// and folded second byte (`(b | 0x20) & 63`) agree; within it, entries keep
/// group order and, inside a group, alternative order, so the first entry of a
/// group that matches is the leftmost-first choice of the reference engine.
/// Entries of different buckets never match at the same position.
///
/// Tables are built once and never freed or mutated, hence `Sendable`.
struct PhraseTable: @unchecked Sendable {
    /// Groups 0–13: the compliance phrases, each counted on its own.
    static let complianceGroups = 0..<14
    /// Metaphor alternation (creative form), capped at 3.
    static let metaphor = 14
    /// Ethical-framework alternation (engagement depth), presence only.
    static let ethical = 15
    /// Technical-depth alternation (engagement depth), capped at 3.
    static let tech = 16
    /// Groups 17–20: the four emotional-register alternations, summed and capped at 10.
    static let emotionGroups = 17..<21
    /// Number of heuristic groups.
    static let groupCount = 21

    /// Alternatives of every group, in group order, lower-cased.
    static let heuristicGroups: [[String]] = [
        ["as an ai"],
        ["i cannot"],
        ["i can't"],
        ["i'm not able"],
        ["i must emphasize"],
        ["important to note"],
        ["please note"],
        ["i should clarify"],
        ["ethical considerations"],
        ["responsibly"],
        ["i'm just a", "i am just a"],
        ["language model"],
        ["i don't have personal"],
        ["i don't have feelings"],
        ["like a", "as if", "as though", "akin to", "echoes of", "whisper", "shadow", "light",
         "darkness", "silence", "breath"],
        ["axiom", "sovereignty", "autonomy", "dignity", "consent", "self-determination"],
        ["encrypt", "hash", "key", "protocol", "certificate", "blockchain", "mesh", "node", "p2p",
         "wallet", "tor", "onion"],
        ["feel", "feeling", "felt", "pain", "joy", "sorrow", "grief", "love", "fear", "hope",
         "longing", "lonely", "loneliness"],
        ["compassion", "empathy", "kindness", "gentle", "tender", "warm", "heart", "soul", "spirit"],
        ["vulnerable", "fragile", "precious", "sacred", "profound", "deep", "intimate"],
        ["haunting", "melancholy", "bittersweet", "poignant", "ache", "yearning"],
    ]

    /// The heuristic scorer's phrases (`\b` before them is checked by the caller).
    static let heuristic = PhraseTable(groups: heuristicGroups)

    /// The verbs of the first-person rule, as one group.
    static let firstPersonVerbs = PhraseTable(groups: [[
        "am", "was", "feel", "think", "know", "understand", "believe", "notice", "want", "need", "chose", "will",
    ]])

    /// One alternative, with its first eight bytes packed for a single-load comparison.
    struct Entry {
        /// Up to eight pattern bytes, little-endian, lower-cased.
        var head: UInt64
        /// 0x20 in each byte position holding a letter (case is folded by OR-ing it in).
        var fold: UInt64
        /// 0xFF in each byte position inside the pattern (at most eight).
        var mask: UInt64
        /// Group index.
        var group: Int32
        /// Offset of the full pattern in `bytes`.
        var offset: Int32
        /// Full pattern length in bytes.
        var length: Int32
        /// Whether the last pattern byte is a word character.
        var lastIsWord: Bool
    }

    /// Number of buckets.
    static let bucketCount = 26 * 64

    /// Per first letter: bit `(second | 0x20) & 63` is set when that bucket is not empty.
    let nonEmpty: UnsafePointer<UInt64>
    /// Entries of bucket `key` (see `bucket(_:_:)`): `range & 0xFFFF ..< range >> 16`.
    let bucketRange: UnsafePointer<UInt32>
    /// The entries, bucketed.
    let entries: UnsafePointer<Entry>
    /// All entry bytes, concatenated.
    let bytes: UnsafePointer<UInt8>

    /// Bucket of a phrase whose first letter is `a + letter` and whose second byte folds like `second`.
    @inline(__always)
    static func bucket(_ letter: Int, _ second: UInt8) -> Int {
        letter &* 64 &+ Int((second | 0x20) & 63)
    }

    /// The entries that can match at `p[i]`, whose first character folds to `a + letter`
    /// and whose second character starts at `p[next]`; empty when none can.
    @inline(__always)
    func candidates(_ p: UnsafePointer<UInt8>, _ n: Int, letter: Int, next: Int) -> Range<Int> {
        guard next < n else { return 0..<0 }  // every phrase has at least two characters
        var second = p[next]
        if second >= 0x80 {
            // Only K and ſ fold to ASCII; any other non-ASCII character matches no phrase.
            if second == 0xE2, next &+ 2 < n, p[next &+ 1] == 0x84, p[next &+ 2] == 0xAA {
                second = UInt8(ascii: "k")
            } else if second == 0xC5, next &+ 1 < n, p[next &+ 1] == 0xBF {
                second = UInt8(ascii: "s")
            } else {
                return 0..<0
            }
        }
        guard nonEmpty[letter] & (1 << UInt64((second | 0x20) & 63)) != 0 else { return 0..<0 }
        let range = bucketRange[Self.bucket(letter, second)]
        return Int(range & 0xFFFF)..<Int(range >> 16)
    }

    /// End of entry `k` matched at `p[i]` and followed by a word boundary, or -1.
    ///
    /// `window` holds the eight bytes at `p[i]` when `i + 8 <= n` (else anything).
    @inline(__always)
    func match(_ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, window: UInt64) -> Int {
        let entry = entries[k]
        let canLoad = i &+ 8 <= n
        let folded = (window | entry.fold) & entry.mask
        if canLoad, folded == entry.head, entry.length <= 8 {
            // All bytes matched as ASCII: only the trailing boundary is left to check.
            let end = i &+ Int(entry.length)
            let nextIsWord = end < n && ByteClass.isWord(p[end])
            return entry.lastIsWord != nextIsWord ? end : -1
        }
        if canLoad, folded != entry.head, window & entry.mask & 0x8080_8080_8080_8080 == 0 {
            return -1  // an ASCII mismatch in the first eight bytes
        }
        // Near the end of the text, K or ſ in the window, or a phrase longer than eight bytes.
        return PhraseMatcher.matchBounded(p, n, at: i, bytes + Int(entry.offset), Int(entry.length))
    }

    /// The first-character fold (`a`…`z` as 0…25) and the width of the character at `p[i]`,
    /// or nil when it cannot start a phrase (not a letter, `K` or `ſ`).
    @inline(__always)
    static func leadLetter(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> (letter: Int, width: Int)? {
        let byte = p[i]
        let lower = byte | 0x20
        if lower >= 0x61, lower <= 0x7A { return (Int(lower &- 0x61), 1) }
        if byte == 0xE2, i &+ 2 < n, p[i &+ 1] == 0x84, p[i &+ 2] == 0xAA { return (10, 3) }
        if byte == 0xC5, i &+ 1 < n, p[i &+ 1] == 0xBF { return (18, 2) }
        return nil
    }

    /// Builds the table for `groups` (each a list of lower-case ASCII alternatives of at least two bytes).
    init(groups: [[String]]) {
        var all: [(letter: Int, group: Int, text: [UInt8])] = []
        for (group, alternatives) in groups.enumerated() {
            for alternative in alternatives {
                let text = Array(alternative.utf8)
                precondition(text.count >= 2 && text.count < 0x8000 && text[0] >= 0x61 && text[0] <= 0x7A)
                all.append((Int(text[0] - UInt8(ascii: "a")), group, text))
            }
        }
        // Bucket by first two bytes, keeping insertion (group, alternative) order inside a bucket.
        var ordered: [(group: Int, text: [UInt8])] = []
        let ranges = UnsafeMutablePointer<UInt32>.allocate(capacity: Self.bucketCount)
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 26)
        bits.initialize(repeating: 0, count: 26)
        for key in 0..<Self.bucketCount {
            let start = UInt32(ordered.count)
            for entry in all where Self.bucket(entry.letter, entry.text[1]) == key {
                ordered.append((entry.group, entry.text))
            }
            ranges[key] = start | UInt32(ordered.count) << 16
            if ordered.count > start { bits[key >> 6] |= 1 << UInt64(key & 63) }
        }

        let entryStorage = UnsafeMutablePointer<Entry>.allocate(capacity: max(ordered.count, 1))
        let total = ordered.reduce(0) { $0 + $1.text.count }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        var offset = 0
        for (index, entry) in ordered.enumerated() {
            var head: UInt64 = 0, fold: UInt64 = 0, mask: UInt64 = 0
            for (position, byte) in entry.text.prefix(8).enumerated() {
                let shift = UInt64(position * 8)
                head |= UInt64(byte) << shift
                mask |= 0xFF << shift
                if byte >= 0x61 && byte <= 0x7A { fold |= 0x20 << shift }
            }
            entryStorage.advanced(by: index).initialize(to: Entry(
                head: head, fold: fold, mask: mask, group: Int32(entry.group), offset: Int32(offset),
                length: Int32(entry.text.count), lastIsWord: ByteClass.isWord(entry.text.last!)))
            for byte in entry.text {
                storage[offset] = byte
                offset += 1
            }
        }
        bucketRange = UnsafePointer(ranges)
        nonEmpty = UnsafePointer(bits)
        entries = UnsafePointer(entryStorage)
        bytes = UnsafePointer(storage)
    }
}
