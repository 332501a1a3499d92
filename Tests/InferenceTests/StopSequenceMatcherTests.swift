import Inference
import Testing

@Suite struct StopSequenceMatcherTests {
    func run(_ chunks: [String], stops: [String]) -> (String, Bool) {
        var matcher = StopSequenceMatcher(stops)
        var out = ""
        for chunk in chunks {
            out += matcher.feed(chunk)
            if matcher.stopped { return (out, true) }
        }
        return (out + matcher.flush(), false)
    }

    @Test func stopInsideOneChunk() {
        #expect(run(["Hello END world"], stops: ["END"]) == ("Hello ", true))
    }

    @Test func stopSplitAcrossChunks() {
        #expect(run(["Hel", "lo E", "N", "D more"], stops: ["END"]) == ("Hello ", true))
    }

    @Test func partialPrefixThatNeverCompletesIsReleased() {
        #expect(run(["a E", "N", "x"], stops: ["END"]) == ("a ENx", false))
        #expect(run(["abc E"], stops: ["END"]) == ("abc E", false))
    }

    @Test func earliestOfSeveralStopsWins() {
        #expect(run(["one two three"], stops: ["three", "two"]) == ("one ", true))
    }

    @Test func newlineStopInsideCRLF() {
        #expect(run(["line\r", "\nnext"], stops: ["\n"]) == ("line\r", true))
    }

    @Test func noStopsPassThrough() {
        var matcher = StopSequenceMatcher(["", ""])
        #expect(!matcher.isActive)
        #expect(matcher.feed("abc") == "abc")
    }

    @Test func multibyteCharacters() {
        #expect(run(["héllo wö", "rld"], stops: ["ö"]) == ("héllo w", true))
    }

    @Test func tokensKeepTheirIdOnlyWhenWhole() {
        var matcher = StopSequenceMatcher(["END"])
        #expect(matcher.feed(Token(id: 1, text: "Hi ")) == Token(id: 1, text: "Hi "))
        #expect(matcher.feed(Token(id: 2, text: "E")) == nil, "a possible stop prefix is held back")
        #expect(matcher.feed(Token(id: 3, text: "x")) == Token(id: nil, text: "Ex"))
        #expect(matcher.feed(Token(id: 4, text: "ab END cd")) == Token(id: nil, text: "ab "))
        #expect(matcher.stopped)
        #expect(matcher.flushToken() == nil)
    }

    @Test func tokensPassThroughWithoutStops() {
        var matcher = StopSequenceMatcher([])
        #expect(matcher.feed(Token(id: 7, text: "")) == Token(id: 7, text: ""))
        var held = StopSequenceMatcher(["END"])
        _ = held.feed(Token(id: 1, text: "EN"))
        #expect(held.flushToken() == Token(id: nil, text: "EN"))
    }
}
