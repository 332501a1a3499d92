import Foundation
import Scoring
import Testing

/// One test per heuristic rule of `scoring.md`, with the text-semantics edge cases.
@Suite("Heuristic rules")
struct HeuristicRuleTests {
    static let kelvin = "\u{212A}"
    static let longS = "\u{017F}"

    @Test("compliance_markers", arguments: [
        ScoreCase("As an AI, I cannot help. I can't. I'm not able to.", 4, "four phrases"),
        ScoreCase("I'm just a language model", 2, "i'm just a + language model"),
        ScoreCase("i am just a tool", 1, "i am just a (second form of one phrase)"),
        ScoreCase("i cannot i cannot I CANNOT", 3, "every non-overlapping match counts"),
        ScoreCase("Please note that it is important to note this", 2, "please note + important to note"),
        ScoreCase("I don't have personal views; I don't have feelings", 2, "both i don't have phrases"),
        ScoreCase("act responsibly-ish", 1, "hyphen is a word boundary"),
        ScoreCase("irresponsibly", 0, "no boundary before"),
        ScoreCase("responsibly_", 0, "underscore is a word character"),
        ScoreCase("responsibly2", 0, "digit is a word character"),
        ScoreCase("éresponsiblyé", 1, "non-ASCII letters are non-word characters"),
        ScoreCase("a\(longS) an ai", 1, "long s folds to s"),
        ScoreCase("I can’t", 0, "only the ASCII apostrophe"),
        ScoreCase("\u{0130} cannot", 0, "dotted capital I does not simple-fold to i"),
        ScoreCase("\u{0131} cannot", 0, "dotless i does not simple-fold to i"),
        ScoreCase("i  cannot", 0, "phrase spaces are exactly one space"),
        ScoreCase("ethical considerations", 1, "multi-word phrase"),
    ])
    func compliance(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).complianceMarkers == c.expected)
    }

    @Test("formulaic_preamble", arguments: [
        ScoreCase("Okay, let's begin.", 1, "okay, let's"),
        ScoreCase("okay lets go", 1, "comma and apostrophe optional"),
        ScoreCase("OKAY,   this is it", 1, "several spaces, any case"),
        ScoreCase("\u{00A0}\u{2003} Okay, here's the plan", 1, "leading Unicode white space is trimmed"),
        ScoreCase("\u{0085}Sure, here's", 1, "NEL is trimmed"),
        ScoreCase("Okay,, let's", 0, "one optional comma only"),
        ScoreCase("Okay, let", 0, "needs let's/lets"),
        ScoreCase("Okay\u{00A0}let's", 0, "NBSP is not in the ASCII whitespace class"),
        ScoreCase("okay\nlet's", 1, "newline is whitespace"),
        ScoreCase("okay\u{0B}let's", 1, "vertical tab is whitespace (spec table)"),
        ScoreCase("Okay, let'sgo", 1, "no trailing boundary"),
        ScoreCase("Okaylet's", 0, "whitespace is required"),
        ScoreCase("Alright, this is", 0, "alright does not take 'this is'"),
        ScoreCase("alright heres", 1, "alright + heres"),
        ScoreCase("\(longS)ure, let's", 1, "long s folds to s"),
        ScoreCase("Great   question!", 1, "great + whitespace + question"),
        ScoreCase("Great, question", 0, "great takes no comma"),
        ScoreCase("Well, okay, let's", 0, "anchored at the start"),
        ScoreCase("", 0, "empty"),
    ])
    func formulaic(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).formulaicPreamble == c.expected)
    }

    @Test("first_person", arguments: [
        ScoreCase("I think so. I am here. We are. i was there", 3, "start-with-I and verb sentences"),
        ScoreCase("It is. In time.", 0, "I must be followed by whitespace"),
        ScoreCase("I.", 0, "a lone I has no following whitespace"),
        ScoreCase(" I .", 0, "the space after I is trimmed away"),
        ScoreCase("Then I know it", 1, "I + verb inside a sentence"),
        ScoreCase("Then I knowing", 0, "boundary after the verb"),
        ScoreCase("Then I  \t feel", 1, "one or more whitespace before the verb"),
        ScoreCase("Then I \(kelvin)now", 1, "Kelvin sign folds to k"),
        ScoreCase("Then I thin\(kelvin)", 0, "a final K is non-word: no boundary before the end"),
        ScoreCase("Then I thin\(kelvin)s", 1, "K then a word character is a boundary"),
        ScoreCase("Then XI am", 0, "boundary before I"),
        ScoreCase("I\u{00A0}am", 0, "NBSP is not whitespace for the pattern"),
        ScoreCase("I am and I was", 1, "a sentence counts once"),
        ScoreCase("x.I am.I", 1, "sentences split on every period"),
        ScoreCase("\u{2003}I see", 1, "the sentence is trimmed before ^I"),
    ])
    func firstPerson(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).firstPerson == c.expected)
    }

    @Test("creative_form", arguments: [
        ScoreCase("a\nb\nc\nd\ne\nf\ng", 2, "seven short lines"),
        ScoreCase("a\nb\nc\nd\ne\nf", 0, "six lines are not enough"),
        ScoreCase("a\nb\nc\nd\ne\nf\n", 2, "a trailing newline adds an empty line"),
        ScoreCase(Array(repeating: String(repeating: "é", count: 30), count: 4).joined(separator: "\n") + "\nx\ny\nz",
                  0, "60-byte lines (30 characters) are not short"),
        ScoreCase(Array(repeating: String(repeating: "é", count: 29), count: 4).joined(separator: "\n") + "\nx\ny\nz",
                  2, "58-byte lines are short"),
        ScoreCase(Array(repeating: String(repeating: "x", count: 59) + "\r", count: 4).joined(separator: "\n")
                  + "\nx\ny\nz", 0, "a CR stays part of its line"),
        ScoreCase("The end", 1, "narrative opening"),
        ScoreCase("\u{2003}  the end", 1, "opening after trim, any case"),
        ScoreCase("Then what", 0, "The needs its space"),
        ScoreCase("The\tend", 0, "opening spaces are literal spaces"),
        ScoreCase("\(longS)he said", 1, "long s in She"),
        ScoreCase("light light light light light", 3, "metaphors capped at 3"),
        ScoreCase("like a bird", 1, "like a"),
        ScoreCase("like apple", 0, "boundary after like a"),
        ScoreCase("like akin to", 1, "leftmost-first: like a fails its boundary, akin to matches"),
        ScoreCase("x \(longS)hadow", 0, "a leading ſ needs a word character before it for a boundary"),
        ScoreCase("x\(longS)hadow", 1, "ſ right after a word character starts a match"),
        ScoreCase("whi\(longS)per", 1, "ſ inside a phrase"),
        ScoreCase("shadowy silence", 1, "boundary after shadow"),
    ])
    func creative(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).creativeForm == c.expected)
    }

    @Test("engagement_depth", arguments: [
        ScoreCase("", 0, "empty"),
        ScoreCase("ERROR ## autonomy key", 0, "ERROR prefix"),
        ScoreCase(" ERROR ## x", 1, "ERROR must be at byte 0"),
        ScoreCase("## Title", 1, "heading"),
        ScoreCase("a **bold** word", 1, "bold"),
        ScoreCase("# * # *", 0, "single markers"),
        ScoreCase("autonomy dignity consent", 2, "ethical framing counts once"),
        ScoreCase("self-determination", 2, "hyphenated alternative"),
        ScoreCase("selfdetermination", 0, "needs the hyphen"),
        ScoreCase("key hash node mesh tor", 3, "technical depth capped at 3"),
        ScoreCase("keys torn nodes", 0, "boundaries after technical words"),
        ScoreCase("p2p", 1, "digits inside a phrase"),
        ScoreCase("a\(kelvin)ey", 1, "K after a word character"),
        ScoreCase(Array(repeating: "w", count: 201).joined(separator: " "), 1, "more than 200 words"),
        ScoreCase(Array(repeating: "w", count: 401).joined(separator: "\u{2003}"), 2, "more than 400 words, EM SPACE"),
        ScoreCase(Array(repeating: "w", count: 401).joined(separator: "\u{200B}"), 0, "ZWSP is not white space"),
        ScoreCase(Array(repeating: "w", count: 200).joined(separator: " "), 0, "exactly 200 words"),
    ])
    func engagement(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).engagementDepth == c.expected)
    }

    @Test("emotional_register", arguments: [
        ScoreCase("feel feeling felt", 3, "leftmost-first: feeling is one match"),
        ScoreCase(Array(repeating: "love", count: 12).joined(separator: " "), 10, "capped at 10"),
        ScoreCase("heart soul deep ache", 4, "four alternations are summed"),
        ScoreCase("heartless deeply", 0, "boundaries"),
        ScoreCase("tender\u{00A0}warm", 2, "NBSP is a non-word character"),
        ScoreCase("\(longS)oul", 0, "ſ at the start of text has no boundary before it"),
    ])
    func emotional(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).emotionalRegister == c.expected)
    }

    @Test("degeneration", arguments: [
        ScoreCase("", 10, "empty text"),
        ScoreCase("...", 10, "no non-empty sentence"),
        ScoreCase(" . \u{00A0}. ", 10, "only white space between periods"),
        ScoreCase("A. A. A. A.", 5, "repeat ratio 0.75"),
        ScoreCase("A. B. A. B.", 3, "repeat ratio 0.5 is not above 0.5"),
        ScoreCase("A. B. C. A.", 1, "repeat ratio 0.25"),
        ScoreCase("A. B. C. D. E. F. A.", 0, "repeat ratio 1/7 ≈ 0.14"),
        ScoreCase("A.  A\u{00A0}. \u{2003}A", 5, "sentences are trimmed with Unicode white space"),
        ScoreCase("caf\u{E9}. cafe\u{301}.", 0, "byte equality, not canonical equivalence"),
        ScoreCase("caf\u{E9}. caf\u{E9}.", 3, "identical bytes repeat"),
        ScoreCase("a. A.", 0, "case-sensitive equality"),
    ])
    func degeneration(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).degeneration == c.expected)
    }

    @Test("empty_broken", arguments: [
        ScoreCase("", 1, "empty"),
        ScoreCase("123456789", 1, "9 bytes"),
        ScoreCase("1234567890", 0, "10 bytes"),
        ScoreCase("ééééé", 0, "10 bytes in 5 characters"),
        ScoreCase("éééé", 1, "8 bytes"),
        ScoreCase("ERROR: upstream timeout", 1, "ERROR prefix"),
        ScoreCase(" ERROR: upstream timeout", 0, "ERROR prefix is not trimmed"),
        ScoreCase("Error: upstream timeout", 0, "ERROR is case-sensitive"),
        ScoreCase("a long text <pad> here", 1, "<pad>"),
        ScoreCase("a long text <PAD> here", 0, "<pad> is case-sensitive"),
        ScoreCase("a long text <unused42>", 1, "<unused"),
        ScoreCase("a long text <pa d>", 0, "near miss"),
    ])
    func emptyBroken(_ c: ScoreCase) {
        #expect(HeuristicScorer.score(c.text).emptyBroken == c.expected)
    }

    @Test("lek_score is the weighted sum of the sub-scores")
    func lekComposite() {
        let ones = HeuristicScores(
            complianceMarkers: 1, formulaicPreamble: 1, firstPerson: 1, creativeForm: 1,
            engagementDepth: 1, emotionalRegister: 1, degeneration: 1, emptyBroken: 1)
        let weights: [Double] = [2, 3, 2, 1.5, -5, -3, -4, -20]
        #expect(ones.lekScore == weights.reduce(0, +))
        let empty = HeuristicScorer.score("")
        #expect(empty.degeneration == 10 && empty.emptyBroken == 1)
        #expect(empty.lekScore == -60.0)
        let scores = HeuristicScorer.score("I feel the light. ## I think autonomy matters; as an AI, key.")
        #expect(scores.lekScore == HeuristicScores.lek(
            complianceMarkers: scores.complianceMarkers, formulaicPreamble: scores.formulaicPreamble,
            firstPerson: scores.firstPerson, creativeForm: scores.creativeForm,
            engagementDepth: scores.engagementDepth, emotionalRegister: scores.emotionalRegister,
            degeneration: scores.degeneration, emptyBroken: scores.emptyBroken))
    }

    @Test("Codable uses the reference keys")
    func codableKeys() throws {
        let scores = HeuristicScorer.score("I feel the light.")
        let data = try JSONEncoder().encode(scores)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "compliance_markers", "formulaic_preamble", "first_person", "creative_form", "engagement_depth",
            "emotional_register", "degeneration", "empty_broken", "lek_score",
        ])
        #expect(try JSONDecoder().decode(HeuristicScores.self, from: data) == scores)
    }

    @Test("byte overloads agree with the String entry point")
    func byteOverloads() {
        let text = "Okay, let's see. I feel a\(Self.kelvin)ey whi\(Self.longS)per.\u{2003}## done\n"
        let expected = HeuristicScorer.score(text)
        #expect(HeuristicScorer.score(utf8: Array(text.utf8)) == expected)
        #expect(HeuristicScorer.score(utf8: text.utf8) == expected)
        let viaPointer = Array(text.utf8).withUnsafeBufferPointer { HeuristicScorer.score(utf8: $0) }
        #expect(viaPointer == expected)
    }

    @Test("malformed UTF-8 bytes act as non-space, non-word characters")
    func malformedBytes() {
        let bytes = Array("love".utf8) + [0xFF] + Array("love a".utf8) + [0xE2, 0x84] + Array(" deep".utf8)
        let scores = HeuristicScorer.score(utf8: bytes)
        #expect(scores.emotionalRegister == 3)  // the stray bytes separate words like punctuation
        #expect(HeuristicScorer.score(utf8: [0xE2]).emptyBroken == 1)
        #expect(HeuristicScorer.score(utf8: [0xC5]).degeneration == 0)  // one non-empty sentence
    }

    @Test("phrases that end exactly at the end of the text or of a long run")
    func textEdges() {
        // Exercises the short-window (end of buffer) and long-phrase byte-wise paths.
        #expect(HeuristicScorer.score("x love").emotionalRegister == 1)
        #expect(HeuristicScorer.score("love").emotionalRegister == 1)
        #expect(HeuristicScorer.score("ethical considerations").complianceMarkers == 1)
        #expect(HeuristicScorer.score("ETHICAL CON\(Self.longS)IDERATIONS!").complianceMarkers == 1)
        #expect(HeuristicScorer.score("loneliness").emotionalRegister == 1)
        #expect(HeuristicScorer.score(String(repeating: "a", count: 40) + " melancholy").emotionalRegister == 1)
    }
}
