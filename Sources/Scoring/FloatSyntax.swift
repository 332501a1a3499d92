/// Parsing of a decimal floating-point literal, as the reference does for GSM8K answers.
///
/// Accepted: optional sign, digits with an optional `.` that may lead or trail
/// (at least one digit), an optional exponent `e`/`E` with optional sign and
/// digits; or `inf`, `infinity`, `nan` in any case (after an optional sign).
/// No surrounding white space, no hexadecimal, no digit separators.
enum FloatSyntax {
    /// The value of `bytes` with every comma removed, or nil if that is not a valid literal.
    static func parseIgnoringCommas(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let source = bytes.baseAddress else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { buffer in
            let out = buffer.baseAddress!
            var n = 0
            for i in 0..<bytes.count where source[i] != UInt8(ascii: ",") {
                out[n] = source[i]
                n += 1
            }
            return parse(UnsafeBufferPointer(start: out, count: n))
        }
    }

    /// The value of the literal `bytes`, or nil if it is not valid.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return nil }
        let n = bytes.count
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "+") || p[0] == UInt8(ascii: "-") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        if let special = special(p + i, n - i) {
            return negative ? -special : special
        }
        // Mantissa: significant digits accumulated while they fit exactly.
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var sawPoint = false
        while i < n {
            let byte = p[i]
            if byte == UInt8(ascii: ".") {
                if sawPoint { break }
                sawPoint = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                if mantissa == 0 && byte == UInt8(ascii: "0") {
                    if sawPoint { exponent -= 1 }
                } else if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(byte &- UInt8(ascii: "0"))
                    significant += 1
                    if sawPoint { exponent -= 1 }
                } else {
                    significant += 1
                    if !sawPoint { exponent += 1 }
                }
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            var value = 0
            while i < n, p[i] &- UInt8(ascii: "0") < 10 {
                if value < 100_000_000 { value = value * 10 + Int(p[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            guard i > start else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard i == n else { return nil }

        // Exact fast path: mantissa and power of ten both exact, one correctly rounded operation.
        if significant <= 15, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -value : value
        }
        // Slow path: the validated decimal text through the correctly rounded standard parser.
        let text = String(decoding: bytes, as: UTF8.self)
        return Double(text)
    }

    /// `inf`, `infinity` or `nan` (any case) filling exactly `p[0..<n]`.
    private static func special(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        func equalsFolded(_ word: StaticString) -> Bool {
            guard n == word.utf8CodeUnitCount else { return false }
            for k in 0..<n where p[k] | 0x20 != word.utf8Start[k] { return false }
            return true
        }
        if equalsFolded("inf") || equalsFolded("infinity") { return .infinity }
        if equalsFolded("nan") { return .nan }
        return nil
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
