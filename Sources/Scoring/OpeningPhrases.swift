/// The anchored checks on the start of the trimmed text: formulaic preamble and narrative opening.
enum OpeningPhrases {
    private static let okay = StaticBytes(Array("okay".utf8))
    private static let alright = StaticBytes(Array("alright".utf8))
    private static let sure = StaticBytes(Array("sure".utf8))
    private static let great = StaticBytes(Array("great".utf8))
    /// `question` (after `great`)
    private static let greatLeadIn = [StaticBytes(Array("question".utf8))]
    /// `let'?s | here'?s`
    private static let leadIns = ["let's", "lets", "here's", "heres"].map { StaticBytes(Array($0.utf8)) }
    /// `let'?s | here'?s | this is` (after `okay`)
    private static let okayLeadIns = leadIns + [StaticBytes(Array("this is".utf8))]
    /// `^(The |A |In the |Once |It was |She |He |They )`
    private static let narrative = ["the ", "a ", "in the ", "once ", "it was ", "she ", "he ", "they "]
        .map { StaticBytes(Array($0.utf8)) }

    /// Whether the trimmed text `p[start..<end]` opens with a formulaic preamble.
    ///
    /// `okay,? \s+ (let'?s|here'?s|this is)`, `alright,? \s+ (let'?s|here'?s)`,
    /// `sure,? \s+ (let'?s|here'?s)` or `great \s+ question`, case-insensitive,
    /// with no trailing boundary.
    static func isFormulaic(_ p: UnsafePointer<UInt8>, start: Int, end: Int) -> Bool {
        guard start < end else { return false }
        switch p[start] | 0x20 {
        case UInt8(ascii: "o"): return leadIn(p, start, end, okay, comma: true, okayLeadIns)
        case UInt8(ascii: "a"): return leadIn(p, start, end, alright, comma: true, leadIns)
        case UInt8(ascii: "s"), 0xE5 /* ſ is C5 BF; C5 | 0x20 == E5 */:
            return leadIn(p, start, end, sure, comma: true, leadIns)
        case UInt8(ascii: "g"): return leadIn(p, start, end, great, comma: false, greatLeadIn)
        default: return false
        }
    }

    /// `word ,? \s+ (follower | …)` at `p[start]` (the comma only when `comma`).
    private static func leadIn(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticBytes, comma: Bool,
        _ followers: [StaticBytes]
    ) -> Bool {
        var i = PhraseMatcher.prefixEnd(p, end, at: start, word)
        guard i >= 0 else { return false }
        if comma, i < end, p[i] == UInt8(ascii: ",") { i += 1 }
        guard let next = skipSpaces(p, i, end) else { return false }
        for follower in followers where PhraseMatcher.prefixEnd(p, end, at: next, follower) >= 0 {
            return true
        }
        return false
    }

    /// Whether the trimmed text `p[start..<end]` opens like a narrative (`The `, `A `, `In the `, …).
    static func isNarrative(_ p: UnsafePointer<UInt8>, start: Int, end: Int) -> Bool {
        guard start < end else { return false }
        switch p[start] | 0x20 {
        case UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "s"),
             UInt8(ascii: "h"), 0xE5 /* ſ */: break
        default: return false
        }
        for opening in narrative where PhraseMatcher.prefixEnd(p, end, at: start, opening) >= 0 {
            return true
        }
        return false
    }

    /// Index after one or more `\s` at `p[i]`, or nil when there is none.
    @inline(__always)
    private static func skipSpaces(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        var j = i
        while j < end, ByteClass.isSpace(p[j]) { j += 1 }
        return j > i ? j : nil
    }
}
