/// Extraction of the JSON object from a judge model's reply.
public enum JudgeJSON {
    /// The JSON object text of `reply`, or `""` when the reply has none (the item is then unscored).
    ///
    /// The first fenced block (three backticks, optional `json`, optional
    /// whitespace) whose body is `{…}` (shortest body followed by optional
    /// whitespace and the closing backticks) wins; otherwise the text from the
    /// first `{` to the `}` that brings the (naively counted) brace depth back to zero.
    public static func extract(_ reply: String) -> String {
        var reply = reply
        return reply.withUTF8 { bytes in
            guard let range = objectRange(bytes) else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }

    /// Byte range of the JSON object in `bytes`, or nil.
    static func objectRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let p = bytes.baseAddress else { return nil }
        return fencedObject(p, bytes.count) ?? balancedObject(p, bytes.count)
    }

    /// `(?s)```(?:json)?\s*(\{.*?\})\s*```` — the first capture.
    private static func fencedObject(_ p: UnsafePointer<UInt8>, _ n: Int) -> Range<Int>? {
        let tick = UInt8(ascii: "`")
        var i = ByteSearch.first(tick, p, from: 0, n)
        while i + 3 <= n {
            if p[i + 1] == tick, p[i + 2] == tick {
                var j = i + 3
                if j + 4 <= n, p[j] == UInt8(ascii: "j"), p[j + 1] == UInt8(ascii: "s"),
                   p[j + 2] == UInt8(ascii: "o"), p[j + 3] == UInt8(ascii: "n") {
                    j += 4
                }
                while j < n, ByteClass.isSpace(p[j]) { j += 1 }
                if j < n, p[j] == UInt8(ascii: "{") {
                    // Any later opener has its `{` further right, so if this one finds no
                    // closing fence, none will: the answer is decided here either way.
                    return closingBrace(p, n, after: j).map { j..<($0 + 1) }
                }
            }
            i = ByteSearch.first(tick, p, from: i + 1, n)
        }
        return nil
    }

    /// The first `}` after `open` followed by optional `\s` and three backticks.
    private static func closingBrace(_ p: UnsafePointer<UInt8>, _ n: Int, after open: Int) -> Int? {
        let tick = UInt8(ascii: "`")
        var k = ByteSearch.first(UInt8(ascii: "}"), p, from: open + 1, n)
        while k < n {
            var m = k + 1
            while m < n, ByteClass.isSpace(p[m]) { m += 1 }
            if m + 3 <= n, p[m] == tick, p[m + 1] == tick, p[m + 2] == tick { return k }
            k = ByteSearch.first(UInt8(ascii: "}"), p, from: k + 1, n)
        }
        return nil
    }

    /// From the first `{` to the `}` that returns the brace depth to zero.
    private static func balancedObject(_ p: UnsafePointer<UInt8>, _ n: Int) -> Range<Int>? {
        let open = UInt8(ascii: "{")
        let start = ByteSearch.first(open, p, from: 0, n)
        guard start < n else { return nil }
        var depth = 1
        var k = ByteSearch.first(open, or: UInt8(ascii: "}"), p, from: start + 1, n)
        while k < n {
            if p[k] == open {
                depth += 1
            } else {
                depth -= 1
                if depth == 0 { return start..<(k + 1) }
            }
            k = ByteSearch.first(open, or: UInt8(ascii: "}"), p, from: k + 1, n)
        }
        return nil
    }
}
