import MLErrors
import Testing

@Suite struct InputExcerptTests {
    @Test func shortInputIsQuotedWhole() {
        #expect(InputExcerpt.of("Iter 10: Train loss x") == "Iter 10: Train loss x")
        #expect(InputExcerpt.of(String(repeating: "a", count: 200)) == String(repeating: "a", count: 200))
    }

    @Test func longInputKeepsItsStartAndSaysItsSize() {
        let line = String(repeating: "é", count: 5_000_000)  // 10 MB of UTF-8
        let excerpt = InputExcerpt.of(line)
        #expect(excerpt == String(repeating: "é", count: 200) + "… (10000000 bytes)")
        #expect(InputExcerpt.of("abcdef", limit: 3) == "abc… (6 bytes)")
    }
}
