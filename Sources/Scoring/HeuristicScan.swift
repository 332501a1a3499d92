/// The single pass over a response's UTF-8 bytes behind `HeuristicScorer`.
///
/// One left-to-right walk visits each run of word characters once (its first
/// byte is the only place a `\b`-anchored phrase can start), every separator
/// byte, and every non-ASCII lead byte (Unicode white space, `K`, `ſ`). Along
/// the way it counts phrase matches per group with the reference's
/// non-overlapping leftmost-first semantics, words, lines, sentences (and
/// their distinct trimmed contents), and the first-person sentences.
struct HeuristicScan {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private let table = PhraseTable.heuristic
    /// `resume[g]`: index where group `g`'s next non-overlapping match may start (`Int.max`: stop looking).
    private let resume: UnsafeMutablePointer<Int>
    /// `count[g]`: matches of group `g` so far.
    private let count: UnsafeMutablePointer<Int>

    private var emotions = 0
    private(set) var words = 0
    private var inWord = false
    private(set) var lines = 1
    private(set) var shortLines = 0
    private var lineStart = 0
    private(set) var hasHeading = false
    private(set) var hasBrokenMarker = false
    private(set) var nonEmptySentences = 0
    private(set) var firstPersonSentences = 0
    private var sentenceStart = -1
    private var sentenceEnd = 0
    private var sentenceOpensWithI = false
    private var sentenceHasVerb = false
    private(set) var sentences: SentenceSet

    /// A scan of `p[0..<n]`, with `state` (2 × `PhraseTable.groupCount` integers) as group counters.
    init(_ p: UnsafePointer<UInt8>, _ n: Int, sentences: SentenceSet, state: UnsafeMutablePointer<Int>) {
        self.p = p
        self.n = n
        self.sentences = sentences
        resume = state
        count = state + PhraseTable.groupCount
        resume.initialize(repeating: 0, count: PhraseTable.groupCount)
        count.initialize(repeating: 0, count: PhraseTable.groupCount)
    }

    /// Matches of phrase group `group` (capped groups stop counting at their cap).
    func matches(_ group: Int) -> Int { count[group] }

    /// Emotional-register matches, counted up to 10.
    var emotionalMatches: Int { emotions }

    /// Walks the whole text.
    @inline(__always)
    mutating func run() {
        let cls = ByteClass.table.base
        var i = 0
        while i < n {
            var byte = p[i]
            var c = cls[Int(byte)]
            while c <= ByteClass.digit {
                // A whole run of word characters; only its first byte can start a phrase.
                let j = runEnd(from: i &+ 1, cls)
                let singleI = j == i &+ 1 && byte | 0x20 == UInt8(ascii: "i") && j < n && ByteClass.isSpace(p[j])
                if sentenceStart < 0 { sentenceOpensWithI = singleI }
                nonSpace(i, j &- i)
                if c == ByteClass.letter {
                    tryPhrases(Int((byte | 0x20) &- UInt8(ascii: "a")), at: i, next: i &+ 1)
                    if singleI, !sentenceHasVerb, FirstPersonVerbs.follow(p, n, after: j) {
                        sentenceHasVerb = true
                    }
                }
                i = j
                // Fast path for the common "word, one space, word".
                guard j &+ 1 < n, p[j] == UInt8(ascii: " ") else { break }
                byte = p[j &+ 1]
                c = cls[Int(byte)]
                inWord = false
                i = j &+ 1
            }
            guard i < n else { break }
            byte = p[i]
            c = cls[Int(byte)]
            switch c {
            case ByteClass.letter, ByteClass.digit:
                continue
            case ByteClass.space:
                inWord = false
                i &+= 1
            case ByteClass.newline:
                inWord = false
                if i &- lineStart < 60 { shortLines &+= 1 }
                lines &+= 1
                lineStart = i &+ 1
                i &+= 1
            case ByteClass.period:
                if !inWord {
                    words &+= 1
                    inWord = true
                }
                endSentence()
                i &+= 1
            case ByteClass.marker:
                if byte == UInt8(ascii: "<") {
                    if !hasBrokenMarker,
                       ByteSearch.startsWith(p, n, i, "<pad>") || ByteSearch.startsWith(p, n, i, "<unused") {
                        hasBrokenMarker = true
                    }
                } else if i &+ 1 < n, p[i &+ 1] == byte {
                    hasHeading = true
                }
                nonSpace(i, 1)
                i &+= 1
            case ByteClass.lead:
                let spaceWidth = UnicodeSpace.nonASCIILength(p, i, n)
                if spaceWidth > 0 {
                    inWord = false
                    i &+= spaceWidth
                    continue
                }
                // K (U+212A) and ſ (U+017F) fold to k and s; being non-word characters,
                // they start a phrase only right after a word character.
                if let lead = PhraseTable.leadLetter(p, n, at: i) {
                    nonSpace(i, lead.width)
                    if i > 0, ByteClass.isWord(p[i &- 1]) {
                        tryPhrases(lead.letter, at: i, next: i &+ lead.width)
                    }
                    i &+= lead.width
                } else {
                    nonSpace(i, 1)
                    i &+= 1
                }
            default:
                nonSpace(i, 1)
                i &+= 1
            }
        }
        endSentence()
        if n &- lineStart < 60 { shortLines &+= 1 }
    }

    /// End of the run of ASCII word characters continuing at `j`.
    @inline(__always)
    private func runEnd(from start: Int, _ cls: UnsafePointer<UInt8>) -> Int {
        var j = start
        while j &+ 8 <= n {
            let nonWord = ~ByteClass.wordMask(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                & 0x8080_8080_8080_8080
            if nonWord != 0 { return j &+ nonWord.trailingZeroBitCount >> 3 }
            j &+= 8
        }
        while j < n, cls[Int(p[j])] <= ByteClass.digit { j &+= 1 }
        return j
    }

    /// Records the non-space character `p[i ..< i + width]`.
    @inline(__always)
    private mutating func nonSpace(_ i: Int, _ width: Int) {
        if !inWord {
            words &+= 1
            inWord = true
        }
        if sentenceStart < 0 { sentenceStart = i }
        sentenceEnd = i &+ width
    }

    /// Tries the phrases starting with `letter` at `i`, whose second character starts at `next`.
    /// The word boundary before `i` already holds.
    @inline(__always)
    private mutating func tryPhrases(_ letter: Int, at i: Int, next: Int) {
        let candidates = table.candidates(p, n, letter: letter, next: next)
        guard !candidates.isEmpty else { return }
        let window = i &+ 8 <= n ? UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) : 0
        for k in candidates {
            let matchEnd = table.match(k, p, n, at: i, window: window)
            guard matchEnd >= 0 else { continue }
            let g = Int(table.entries[k].group)
            guard resume[g] <= i else { continue }
            count[g] &+= 1
            resume[g] = matchEnd
            if g >= PhraseTable.metaphor { applyCap(g) }
        }
    }

    /// Stops looking for a group once its contribution to the scores can no longer change.
    private mutating func applyCap(_ g: Int) {
        if g == PhraseTable.ethical || (g == PhraseTable.metaphor || g == PhraseTable.tech) && count[g] >= 3 {
            resume[g] = .max
        } else if PhraseTable.emotionGroups.contains(g) {
            emotions &+= 1
            if emotions >= 10 {
                for e in PhraseTable.emotionGroups { resume[e] = .max }
            }
        }
    }

    /// Closes the current sentence (at a period or the end of the text).
    @inline(__always)
    private mutating func endSentence() {
        guard sentenceStart >= 0 else { return }
        nonEmptySentences &+= 1
        // `^I\s` needs the space inside the trimmed sentence, i.e. something non-space after it.
        if sentenceHasVerb || (sentenceOpensWithI && sentenceEnd > sentenceStart &+ 1) {
            firstPersonSentences &+= 1
        }
        sentences.insert(start: sentenceStart, length: sentenceEnd &- sentenceStart)
        sentenceStart = -1
        sentenceOpensWithI = false
        sentenceHasVerb = false
    }
}
