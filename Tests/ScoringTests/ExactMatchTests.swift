import Scoring
import Testing

/// GSM8K extraction and comparison rules.
@Suite("Exact match")
struct ExactMatchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let response: String
        let answer: String
        let extracted: String
        let correct: Bool
        let why: String
        var testDescription: String { why }
    }

    @Test("extraction and verdict", arguments: [
        Case(response: "So #### 1,234", answer: "1234", extracted: "1,234", correct: true,
             why: "#### answer, commas removed"),
        Case(response: "####5", answer: "5", extracted: "5", correct: true, why: "no whitespace after ####"),
        Case(response: "#### -3.5", answer: "-3.5", extracted: "-3.5", correct: true, why: "sign and decimals"),
        Case(response: "##### 7", answer: "7", extracted: "7", correct: true, why: "leftmost #### inside #####"),
        Case(response: "#### 1 and #### 2", answer: "1", extracted: "1", correct: true, why: "first #### wins"),
        Case(response: "#### abc then 5", answer: "5", extracted: "5", correct: true,
             why: "#### without a number falls back"),
        Case(response: "####--5", answer: "-5", extracted: "--5", correct: false, why: "raw run kept, parse fails"),
        Case(response: "x = 5 and 6", answer: "6", extracted: "6", correct: true, why: "last number"),
        Case(response: "=-7", answer: "-7", extracted: "-7", correct: true, why: "= separator and minus"),
        Case(response: "3 apples", answer: "3", extracted: "3", correct: true, why: "number at the start"),
        Case(response: "price:12", answer: "12", extracted: "", correct: false, why: "':' is no separator"),
        Case(response: "a3", answer: "3", extracted: "", correct: false, why: "needs a separator"),
        Case(response: "1.5.6", answer: "1.5", extracted: "1.5", correct: true, why: "one decimal part"),
        Case(response: "x 12,345.67", answer: "12345.67", extracted: "12,345.67", correct: true,
             why: "commas in the integer part"),
        Case(response: "x 4000", answer: "4,000", extracted: "4000", correct: true,
             why: "commas removed from the answer"),
        Case(response: "x 10.005", answer: "10", extracted: "10.005", correct: true, why: "within 0.01"),
        Case(response: "x 3.16", answer: "3.14", extracted: "3.16", correct: false, why: "0.02 apart"),
        Case(response: "x ,,,", answer: "0", extracted: ",,,", correct: false, why: "only commas: parse fails"),
        Case(response: "x\u{0B}42", answer: "42", extracted: "42", correct: true, why: "vertical tab separates"),
        Case(response: "x\u{00A0}42", answer: "42", extracted: "", correct: false, why: "NBSP does not separate"),
        Case(response: "1 2", answer: "2", extracted: "2", correct: true, why: "separators are consumed, not shared"),
        Case(response: "", answer: "1", extracted: "", correct: false, why: "empty response"),
        Case(response: "ERROR 42", answer: "42", extracted: "", correct: false, why: "ERROR response"),
        Case(response: " ERROR 42", answer: "42", extracted: "42", correct: true, why: "ERROR only at byte 0"),
        Case(response: "x 42", answer: "abc", extracted: "42", correct: false, why: "answer does not parse"),
        Case(response: "x 42", answer: " 42", extracted: "42", correct: false, why: "no surrounding white space"),
        Case(response: "x 42", answer: "+42", extracted: "42", correct: true, why: "optional sign"),
        Case(response: "x 42", answer: "4.2e1", extracted: "42", correct: true, why: "exponent"),
        Case(response: "x 42", answer: "42.", extracted: "42", correct: true, why: "trailing point"),
        Case(response: "x 0.5", answer: ".5", extracted: "0.5", correct: true, why: "leading point"),
        Case(response: "x 42", answer: "inf", extracted: "42", correct: false, why: "infinity never matches"),
        Case(response: "x 42", answer: "NaN", extracted: "42", correct: false, why: "NaN never matches"),
        Case(response: "x 16", answer: "0x10", extracted: "16", correct: false, why: "no hexadecimal"),
        Case(response: "x 1000", answer: "1_000", extracted: "1000", correct: false, why: "no digit separators"),
        Case(response: "x 1e", answer: "1e", extracted: "1", correct: false, why: "exponent needs digits"),
        Case(response: "x 9007199254740993", answer: "9007199254740992", extracted: "9007199254740993",
             correct: true, why: "long mantissas round like the reference"),
    ])
    func verdict(_ c: Case) {
        let result = ExactMatch.score(response: c.response, correctAnswer: c.answer)
        #expect(result == ExactMatchResult(correct: c.correct, extracted: c.extracted, expected: c.answer))
    }
}
