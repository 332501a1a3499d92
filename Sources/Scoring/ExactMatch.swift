/// GSM8K exact match: extract the final number of a response and compare it with the answer.
public enum ExactMatch {
    /// Scores `response` against `correctAnswer`.
    ///
    /// The extraction is the first `####` answer (`####`, optional `\s`, a run of
    /// `[0-9,.-]`), else the last number `-?[0-9,]+(\.[0-9]+)?` that starts the
    /// text or follows one `\s` or `=`. Commas are removed from both strings, both
    /// are parsed as doubles, and the answer is correct when they differ by less than 0.01.
    public static func score(response: String, correctAnswer: String) -> ExactMatchResult {
        var response = response
        var answer = correctAnswer
        return response.withUTF8 { text in
            guard let extracted = extract(from: text) else {
                return ExactMatchResult(correct: false, extracted: "", expected: correctAnswer)
            }
            var correct = false
            if let value = FloatSyntax.parseIgnoringCommas(extracted),
               let expected = answer.withUTF8({ FloatSyntax.parseIgnoringCommas($0) }) {
                correct = abs(expected - value) < 0.01
            }
            return ExactMatchResult(
                correct: correct, extracted: String(decoding: extracted, as: UTF8.self), expected: correctAnswer)
        }
    }

    /// The extracted bytes of `text`, or nil for an empty or `ERROR` response or no number.
    static func extract(from text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let p = text.baseAddress, text.count > 0 else { return nil }
        let n = text.count
        if ByteSearch.startsWith(p, n, 0, "ERROR") { return nil }
        if let range = hashAnswer(p, n) ?? lastNumber(p, n) {
            return UnsafeBufferPointer(start: p + range.lowerBound, count: range.count)
        }
        return nil
    }

    /// The first `####\s*([0-9,.-]+)` capture.
    private static func hashAnswer(_ p: UnsafePointer<UInt8>, _ n: Int) -> Range<Int>? {
        let hash = UInt8(ascii: "#")
        var i = ByteSearch.first(hash, p, from: 0, n)
        while i + 4 < n {
            if p[i + 1] == hash, p[i + 2] == hash, p[i + 3] == hash {
                var j = i + 4
                while j < n, ByteClass.isSpace(p[j]) { j += 1 }
                var end = j
                while end < n, isAnswerByte(p[end]) { end += 1 }
                if end > j { return j..<end }
                i += 1
            } else {
                i = ByteSearch.first(hash, p, from: i + 1, n)
            }
        }
        return nil
    }

    /// The capture of the last non-overlapping `(?:^|[\s=])(-?[0-9,]+(?:\.[0-9]+)?)` match.
    ///
    /// A match holds no separator but its first character, so no candidate start
    /// lies inside an earlier match: every candidate is a match, and the last
    /// match is the rightmost candidate. Scanning from the end finds it first.
    private static func lastNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Range<Int>? {
        var i = n - 1
        while i >= 0 {
            let byte = p[i]
            if ByteClass.isSpace(byte) || byte == UInt8(ascii: "="), let number = number(p, n, at: i + 1) {
                return number
            }
            i -= 1
        }
        return number(p, n, at: 0)
    }

    /// `-?[0-9,]+(?:\.[0-9]+)?` at `p[i]`, greedily.
    @inline(__always)
    private static func number(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> Range<Int>? {
        var j = i
        if j < n, p[j] == UInt8(ascii: "-") { j += 1 }
        let digitsStart = j
        while j < n, isDigit(p[j]) || p[j] == UInt8(ascii: ",") { j += 1 }
        guard j > digitsStart else { return nil }
        if j + 1 < n, p[j] == UInt8(ascii: "."), isDigit(p[j + 1]) {
            j += 2
            while j < n, isDigit(p[j]) { j += 1 }
        }
        return i..<j
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private static func isAnswerByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
