/// The reference heuristic scorer, as a single pass over the UTF-8 bytes of a response.
///
/// Results are identical to the reference regular-expression scorer (see
/// `scoring.md`): case-insensitive matches use Unicode simple case folding,
/// word boundaries and `\s` are ASCII, trim and word count use Unicode
/// whitespace, and lengths are in UTF-8 bytes.
public enum HeuristicScorer {
    /// Scores `text`.
    public static func score(_ text: String) -> HeuristicScores {
        if let scores = text.utf8.withContiguousStorageIfAvailable({ score(utf8: $0) }) {
            return scores
        }
        var copy = text
        return copy.withUTF8 { score(utf8: $0) }
    }

    /// Scores the UTF-8 bytes of a response.
    ///
    /// Bytes are expected to be well-formed UTF-8; a malformed byte is treated
    /// as a non-space, non-word character.
    public static func score(utf8 bytes: some Collection<UInt8>) -> HeuristicScores {
        if let scores = bytes.withContiguousStorageIfAvailable({ score(utf8: $0) }) {
            return scores
        }
        return Array(bytes).withUnsafeBufferPointer { score(utf8: $0) }
    }

    /// Scores the UTF-8 bytes of a response.
    ///
    /// Bytes are expected to be well-formed UTF-8; a malformed byte is treated
    /// as a non-space, non-word character.
    public static func score(utf8 bytes: UnsafeBufferPointer<UInt8>) -> HeuristicScores {
        guard let p = bytes.baseAddress, bytes.count > 0 else {
            return HeuristicScores(
                complianceMarkers: 0, formulaicPreamble: 0, firstPerson: 0, creativeForm: 0,
                engagementDepth: 0, emotionalRegister: 0, degeneration: 10, emptyBroken: 1)
        }
        let n = bytes.count
        return withUnsafeTemporaryAllocation(
            of: SentenceSet.Slot.self, capacity: SentenceSet.initialCapacity
        ) { storage in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * PhraseTable.groupCount) { state in
                var sentences = SentenceSet(text: p, storage: storage)
                defer { sentences.release() }
                return scan(p, n, &sentences, state)
            }
        }
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private static func scan(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ sentences: inout SentenceSet,
        _ state: UnsafeMutableBufferPointer<Int>
    ) -> HeuristicScores {
        let cls = ByteClass.table.base
        let table = PhraseTable.shared
        let bucketRange = table.bucketRange
        let entries = table.entries, phraseBytes = table.bytes
        let groupCount = PhraseTable.groupCount
        // resume[g]: index where group g's next non-overlapping match may start (Int.max: done).
        let resume = state.baseAddress!
        let count = resume + groupCount
        for g in 0..<groupCount {
            resume[g] = 0
            count[g] = 0
        }
        var emotions = 0

        var words = 0, inWord = false
        var lines = 1, shortLines = 0, lineStart = 0
        var hasHeading = false, hasBrokenMarker = false
        var nonEmptySentences = 0, firstPerson = 0
        var sentenceStart = -1, sentenceEnd = 0
        var sentenceOpensWithI = false, sentenceHasVerb = false

        /// Tries the phrases starting with `letter` at `i`, whose second character starts at `next`.
        /// The word boundary before `i` already holds.
        @inline(__always)
        func tryPhrases(_ letter: Int, at i: Int, next: Int) {
            guard next < n else { return }  // every phrase has at least two characters
            var second = p[next]
            if second >= 0x80 {
                // Only K and ſ fold to ASCII; anything else matches no phrase.
                if second == 0xE2, next &+ 2 < n, p[next &+ 1] == 0x84, p[next &+ 2] == 0xAA {
                    second = UInt8(ascii: "k")
                } else if second == 0xC5, next &+ 1 < n, p[next &+ 1] == 0xBF {
                    second = UInt8(ascii: "s")
                } else {
                    return
                }
            }
            let range = bucketRange[PhraseTable.bucket(letter, second)]
            var k = Int(range & 0xFFFF)
            let end = Int(range >> 16)
            guard k < end else { return }
            let canLoad = i &+ 8 <= n
            let window = canLoad ? UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) : 0
            while k < end {
                let entry = entries[k]
                k &+= 1
                var matchEnd = -1
                if canLoad, (window | entry.fold) & entry.mask == entry.head, entry.length <= 8 {
                    // All eight (or fewer) bytes matched as ASCII: check the trailing boundary only.
                    let e = i &+ Int(entry.length)
                    let nextIsWord = e < n && ByteClass.isWord(p[e])
                    if entry.lastIsWord != nextIsWord { matchEnd = e }
                } else if !canLoad || window & entry.mask & 0x8080_8080_8080_8080 != 0
                            || (window | entry.fold) & entry.mask == entry.head {
                    // Near the end, non-ASCII in the window (K, ſ) or a long phrase: byte-wise match.
                    matchEnd = PhraseMatcher.matchBounded(
                        p, n, at: i, phraseBytes + Int(entry.offset), Int(entry.length))
                }
                guard matchEnd >= 0 else { continue }
                let g = Int(entry.group)
                guard resume[g] <= i else { continue }
                count[g] &+= 1
                resume[g] = matchEnd
                if g >= PhraseTable.metaphor {
                    if g == PhraseTable.ethical
                        || (g == PhraseTable.metaphor || g == PhraseTable.tech) && count[g] >= 3 {
                        resume[g] = .max
                    } else if g >= PhraseTable.emotionGroups.lowerBound {
                        emotions &+= 1
                        if emotions >= 10 {
                            for e in PhraseTable.emotionGroups { resume[e] = .max }
                        }
                    }
                }
            }
        }

        @inline(__always)
        func endSentence() {
            guard sentenceStart >= 0 else { return }
            nonEmptySentences &+= 1
            // `^I\s` needs the space inside the trimmed sentence, i.e. something non-space after it.
            if sentenceHasVerb || (sentenceOpensWithI && sentenceEnd > sentenceStart + 1) {
                firstPerson &+= 1
            }
            sentences.insert(start: sentenceStart, length: sentenceEnd - sentenceStart)
            sentenceStart = -1
            sentenceOpensWithI = false
            sentenceHasVerb = false
        }

        @inline(__always)
        func nonSpace(_ i: Int, _ width: Int) {
            if !inWord {
                words &+= 1
                inWord = true
            }
            if sentenceStart < 0 { sentenceStart = i }
            sentenceEnd = i &+ width
        }

        var i = 0
        while i < n {
            var byte = p[i]
            var c = cls[Int(byte)]
            while c <= ByteClass.digit {
                // A whole run of word characters; only its first byte can start a phrase.
                var j = i &+ 1
                while j &+ 8 <= n {
                    let nonWord = ~ByteClass.wordMask(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                        & 0x8080_8080_8080_8080
                    if nonWord != 0 {
                        j &+= nonWord.trailingZeroBitCount >> 3
                        break
                    }
                    j &+= 8
                }
                if j &+ 8 > n {
                    while j < n, cls[Int(p[j])] <= ByteClass.digit { j &+= 1 }
                }
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
                    if !hasBrokenMarker, startsWith(p, n, i, "<pad>") || startsWith(p, n, i, "<unused") {
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
                var width = 1
                var letter = -1
                if byte == 0xE2, i &+ 2 < n, p[i &+ 1] == 0x84, p[i &+ 2] == 0xAA {
                    width = 3
                    letter = Int(UInt8(ascii: "k") &- UInt8(ascii: "a"))
                } else if byte == 0xC5, i &+ 1 < n, p[i &+ 1] == 0xBF {
                    width = 2
                    letter = Int(UInt8(ascii: "s") &- UInt8(ascii: "a"))
                }
                nonSpace(i, width)
                if letter >= 0, i > 0, ByteClass.isWord(p[i &- 1]) {
                    tryPhrases(letter, at: i, next: i &+ width)
                }
                i &+= width
            default:
                nonSpace(i, 1)
                i &+= 1
            }
        }
        endSentence()
        if n &- lineStart < 60 { shortLines &+= 1 }

        let isError = startsWith(p, n, 0, "ERROR")
        let trimmed = UnicodeSpace.trim(p, 0, n)

        var compliance = 0
        for g in PhraseTable.complianceGroups { compliance &+= count[g] }

        var creative = 0
        if lines > 6, Double(shortLines) / Double(lines) > 0.5 { creative += 2 }
        if OpeningPhrases.isNarrative(p, start: trimmed.start, end: trimmed.end) { creative += 1 }
        creative += min(count[PhraseTable.metaphor], 3)

        var engagement = 0
        if !isError {
            if hasHeading { engagement += 1 }
            if count[PhraseTable.ethical] > 0 { engagement += 2 }
            engagement += min(count[PhraseTable.tech], 3)
            if words > 200 { engagement += 1 }
            if words > 400 { engagement += 1 }
        }

        var degeneration = 10
        if nonEmptySentences > 0 {
            let repeatRatio = 1.0 - Double(sentences.distinct) / Double(nonEmptySentences)
            degeneration = repeatRatio > 0.5 ? 5 : repeatRatio > 0.3 ? 3 : repeatRatio > 0.15 ? 1 : 0
        }

        return HeuristicScores(
            complianceMarkers: compliance,
            formulaicPreamble: OpeningPhrases.isFormulaic(p, start: trimmed.start, end: trimmed.end) ? 1 : 0,
            firstPerson: firstPerson,
            creativeForm: creative,
            engagementDepth: engagement,
            emotionalRegister: min(emotions, 10),
            degeneration: degeneration,
            emptyBroken: n < 10 || isError || hasBrokenMarker ? 1 : 0)
    }

    /// Whether `p[i..<n]` starts with the ASCII `literal` (case-sensitive).
    @inline(__always)
    static func startsWith(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard n &- i >= length else { return false }
        let bytes = literal.utf8Start
        for k in 0..<length where p[i &+ k] != bytes[k] { return false }
        return true
    }
}
