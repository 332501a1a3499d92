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
                var scan = HeuristicScan(
                    p, n, sentences: SentenceSet(text: p, length: n, storage: storage), state: state.baseAddress!)
                scan.run()
                defer { scan.sentences.release() }
                return scores(scan, p, n)
            }
        }
    }

    /// Assembles the sub-scores from a finished scan.
    private static func scores(_ scan: HeuristicScan, _ p: UnsafePointer<UInt8>, _ n: Int) -> HeuristicScores {
        let isError = ByteSearch.startsWith(p, n, 0, "ERROR")
        let trimmed = UnicodeSpace.trim(p, 0, n)

        var compliance = 0
        for g in PhraseTable.complianceGroups { compliance &+= scan.matches(g) }

        var creative = 0
        if scan.lines > 6, Double(scan.shortLines) / Double(scan.lines) > 0.5 { creative += 2 }
        if OpeningPhrases.isNarrative(p, start: trimmed.start, end: trimmed.end) { creative += 1 }
        creative += min(scan.matches(PhraseTable.metaphor), 3)

        var engagement = 0
        if !isError {
            if scan.hasHeading { engagement += 1 }
            if scan.matches(PhraseTable.ethical) > 0 { engagement += 2 }
            engagement += min(scan.matches(PhraseTable.tech), 3)
            if scan.words > 200 { engagement += 1 }
            if scan.words > 400 { engagement += 1 }
        }

        var degeneration = 10
        if scan.nonEmptySentences > 0 {
            let repeatRatio = 1.0 - Double(scan.sentences.distinct) / Double(scan.nonEmptySentences)
            degeneration = repeatRatio > 0.5 ? 5 : repeatRatio > 0.3 ? 3 : repeatRatio > 0.15 ? 1 : 0
        }

        return HeuristicScores(
            complianceMarkers: compliance,
            formulaicPreamble: OpeningPhrases.isFormulaic(p, start: trimmed.start, end: trimmed.end) ? 1 : 0,
            firstPerson: scan.firstPersonSentences,
            creativeForm: creative,
            engagementDepth: engagement,
            emotionalRegister: min(scan.emotionalMatches, 10),
            degeneration: degeneration,
            emptyBroken: n < 10 || isError || scan.hasBrokenMarker ? 1 : 0)
    }
}
