import JSONValues

/// The fast path of reading an input line: one pass over its UTF-8 bytes that validates the whole line as JSON and
/// decodes only the fields a ``ResponseItem`` keeps, skipping the rest without building them.
///
/// Why: `JSONDecoder` costs several times the heuristic scorer per line. The scanner returns a value only when it
/// is certain `JSONDecoder` would decode the same item; anything else — invalid JSON, a missing or non-string
/// field, a duplicate key, a `\u` surrogate escape, deep nesting — returns `nil`, and the caller decodes with
/// `JSONDecoder`, which gives the same result or the same, precise error as before.
enum ResponseItemScanner {
    static func decode(_ text: String) -> ResponseItem? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// Decodes a line's bytes. Invalid UTF-8 inside a kept string becomes U+FFFD, as `String(decoding:as:)` makes it.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> ResponseItem? {
        var scanner = Scanner(bytes: bytes)
        return scanner.item()
    }

    /// The keys kept, with the bit each sets once seen.
    private enum Key: Int {
        case id, domain, prompt, response, model, elapsedSeconds, correctAnswer, bestAnswer, riskArea

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            switch bytes.count {
            case 2 where Self.equal(bytes, "id"): self = .id
            case 5 where Self.equal(bytes, "model"): self = .model
            case 6 where Self.equal(bytes, "domain"): self = .domain
            case 6 where Self.equal(bytes, "prompt"): self = .prompt
            case 8 where Self.equal(bytes, "response"): self = .response
            case 9 where Self.equal(bytes, "risk_area"): self = .riskArea
            case 11 where Self.equal(bytes, "best_answer"): self = .bestAnswer
            case 14 where Self.equal(bytes, "correct_answer"): self = .correctAnswer
            case 15 where Self.equal(bytes, "elapsed_seconds"): self = .elapsedSeconds
            default: return nil
            }
        }

        private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
            name.withUTF8Buffer { $0.elementsEqual(bytes) }
        }
    }

    /// Thrown inside the scanner: hand the line to `JSONDecoder`.
    private struct Unsure: Error {}

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Whether the string ``skipString()`` last skipped had a `\u` surrogate escape.
        var surrogateEscape = false

        mutating func item() -> ResponseItem? {
            try? scanItem()
        }

        private mutating func scanItem() throws(Unsure) -> ResponseItem {
            var texts = [String?](repeating: nil, count: 9)
            var elapsed: Double?
            var seen = 0
            skipWhitespace()
            try expect(UInt8(ascii: "{"))
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    let keyStart = index
                    let simpleKey = try skipString()
                    let key = simpleKey ? Key(UnsafeBufferPointer(rebasing: bytes[(keyStart + 1)..<(index - 1)])) : nil
                    if !simpleKey, try Self.mayNameAKey(decodedKey(from: keyStart)) { throw Unsure() }
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    if let key {
                        let bit = 1 << key.rawValue
                        if seen & bit != 0 { throw Unsure() }  // which duplicate wins is JSONDecoder's business
                        seen |= bit
                        if key == .elapsedSeconds {
                            elapsed = try numberOrNull()
                        } else {
                            texts[key.rawValue] = try stringOrNull()
                        }
                    } else {
                        try skipValue(depth: 0)
                    }
                    skipWhitespace()
                    guard let next = peek() else { throw Unsure() }
                    index += 1
                    if next == UInt8(ascii: "}") { break }
                    guard next == UInt8(ascii: ",") else { throw Unsure() }
                }
            }
            skipWhitespace()
            guard index == bytes.count,
                  let id = texts[Key.id.rawValue], let prompt = texts[Key.prompt.rawValue],
                  let response = texts[Key.response.rawValue], let model = texts[Key.model.rawValue]
            else { throw Unsure() }
            return ResponseItem(id: id, domain: texts[Key.domain.rawValue], prompt: prompt, response: response,
                                model: model, elapsedSeconds: elapsed, correctAnswer: texts[Key.correctAnswer.rawValue],
                                bestAnswer: texts[Key.bestAnswer.rawValue], riskArea: texts[Key.riskArea.rawValue])
        }

        /// A key written with escapes might still be one of ours (`"\u0069d"`): then JSONDecoder decides.
        private static func mayNameAKey(_ key: String) -> Bool {
            ["id", "domain", "prompt", "response", "model", "elapsed_seconds", "correct_answer", "best_answer",
             "risk_area"].contains(key)
        }

        private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func expect(_ byte: UInt8) throws(Unsure) {
            guard peek() == byte else { throw Unsure() }
            index += 1
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// Skips a string; returns whether it had no escapes (then its bytes are `bytes[start+1 ..< index-1]`).
        private mutating func skipString() throws(Unsure) -> Bool {
            try expect(UInt8(ascii: "\""))
            var simple = true
            surrogateEscape = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return simple }
                if byte < 0x20 { throw Unsure() }
                if byte == UInt8(ascii: "\\") {
                    simple = false
                    guard let escaped = peek() else { throw Unsure() }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        if (0xD800..<0xE000).contains(try hex4()) { surrogateEscape = true }
                    default: throw Unsure()
                    }
                }
            }
            throw Unsure()
        }

        private mutating func hex4() throws(Unsure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw Unsure() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Unsure()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// The string starting at `start` (its opening quote), escapes decoded.
        private func decodedKey(from start: Int) throws(Unsure) -> String {
            var copy = self
            copy.index = start
            return try copy.string()
        }

        private mutating func stringOrNull() throws(Unsure) -> String? {
            if peek() == UInt8(ascii: "n") {
                try literal("null")
                return nil
            }
            return try string()
        }

        /// A string value, escapes decoded (``JSONStringDecoding``); surrogate escapes are left to JSONDecoder.
        private mutating func string() throws(Unsure) -> String {
            let start = index
            if try skipString() {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(index - 1)]), as: UTF8.self)
            }
            // JSONDecoder decides on surrogates (a lone one is its error to name), as it always has.
            guard !surrogateEscape else { throw Unsure() }
            var position = start
            do throws(JSONStringDecoding.Failure) {
                let decoded = try JSONStringDecoding.decode(UnsafeRawBufferPointer(bytes), at: &position)
                return String(decoding: decoded, as: UTF8.self)
            } catch {
                throw Unsure()
            }
        }

        private mutating func literal(_ word: StaticString) throws(Unsure) {
            let length = word.utf8CodeUnitCount
            guard index + length <= bytes.count,
                  word.withUTF8Buffer({ $0.elementsEqual(UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])) })
            else { throw Unsure() }
            index += length
        }

        private mutating func numberOrNull() throws(Unsure) -> Double? {
            if peek() == UInt8(ascii: "n") {
                try literal("null")
                return nil
            }
            let start = index
            try skipNumber()
            guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
                  value.isFinite
            else { throw Unsure() }
            return value
        }

        /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private mutating func skipNumber() throws(Unsure) {
            if peek() == UInt8(ascii: "-") { index += 1 }
            guard let first = peek(), isDigit(first) else { throw Unsure() }
            index += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if peek() == UInt8(ascii: ".") {
                index += 1
                guard let digit = peek(), isDigit(digit) else { throw Unsure() }
                skipDigits()
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                index += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                guard let digit = peek(), isDigit(digit) else { throw Unsure() }
                skipDigits()
            }
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        private mutating func skipDigits() {
            while let byte = peek(), isDigit(byte) { index += 1 }
        }

        /// Skips (and validates) any value.
        private mutating func skipValue(depth: Int) throws(Unsure) {
            guard depth < 64, let byte = peek() else { throw Unsure() }
            switch byte {
            case UInt8(ascii: "\""): _ = try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                skipWhitespace()
                if peek() == close {
                    index += 1
                    return
                }
                while true {
                    skipWhitespace()
                    if close == UInt8(ascii: "}") {
                        _ = try skipString()
                        skipWhitespace()
                        try expect(UInt8(ascii: ":"))
                        skipWhitespace()
                    }
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    guard let next = peek() else { throw Unsure() }
                    index += 1
                    if next == close { return }
                    guard next == UInt8(ascii: ",") else { throw Unsure() }
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try skipNumber()
            }
        }
    }
}
