/// The word-bounded phrase alternations of the heuristic scorer, bucketed by their first two bytes.
///
/// Each group is one reference pattern `\b(alt1|alt2|…)\b` (case-insensitive).
/// A bucket holds the entries whose first letter and folded second byte
/// (`(b | 0x20) & 63`) agree; within it, entries keep group order and, inside a
/// group, alternative order, so the first entry of a group that matches is the
/// leftmost-first choice of the reference engine. Entries of different buckets
/// can never match at the same position.
final class PhraseTable: @unchecked Sendable {
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
    /// Number of groups.
    static let groupCount = 21

    /// Alternatives of every group, in group order, lower-cased.
    static let groups: [[String]] = [
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

    /// The shared table.
    static let shared = PhraseTable()

    /// Entries of bucket `key` (see `bucket(_:_:)`): `range & 0xFFFF ..< range >> 16`.
    let bucketRange: UnsafePointer<UInt32>
    /// The entries, bucketed by first letter.
    let entries: UnsafePointer<Entry>
    /// All entry bytes, concatenated.
    let bytes: UnsafePointer<UInt8>

    /// Number of buckets.
    static let bucketCount = 26 * 64

    /// Bucket of a phrase whose first letter is `a + letter` and whose second byte folds like `second`.
    @inline(__always)
    static func bucket(_ letter: Int, _ second: UInt8) -> Int {
        letter &* 64 &+ Int((second | 0x20) & 63)
    }

    private init() {
        var all: [(letter: Int, group: Int, text: [UInt8])] = []
        for (group, alternatives) in Self.groups.enumerated() {
            for alternative in alternatives {
                let text = Array(alternative.utf8)
                all.append((Int(text[0] - UInt8(ascii: "a")), group, text))
            }
        }
        // Bucket by first two bytes, keeping insertion (group, alternative) order inside a bucket.
        var ordered: [(group: Int, text: [UInt8])] = []
        let ranges = UnsafeMutablePointer<UInt32>.allocate(capacity: Self.bucketCount)
        for key in 0..<Self.bucketCount {
            let start = UInt32(ordered.count)
            for entry in all where Self.bucket(entry.letter, entry.text[1]) == key {
                ordered.append((entry.group, entry.text))
            }
            ranges[key] = start | UInt32(ordered.count) << 16
        }

        let entryStorage = UnsafeMutablePointer<Entry>.allocate(capacity: ordered.count)
        let total = ordered.reduce(0) { $0 + $1.text.count }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: total)
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
        entries = UnsafePointer(entryStorage)
        bytes = UnsafePointer(storage)
    }
}
