import JSONValues

/// A strict RFC 8259 JSON parser for untrusted bytes: bounded nesting depth, duplicate object keys refused,
/// invalid UTF-8 refused, errors naming the byte offset.
///
/// ``JSONValue`` numbers are doubles; where a header may only hold exact non-negative integers (safetensors
/// shapes and offsets), `unsignedIntegersOnly` refuses any other number literal here, where its text is known
/// (`2.0`, `-2`, `1e3`, or one beyond what a double holds exactly).
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    /// Added to positions in error messages (where the JSON starts in its file).
    private let baseOffset: Int
    private let what: String
    private let unsignedIntegersOnly: Bool
    private var index = 0

    /// Parses `bytes` as one JSON value (surrounding whitespace allowed).
    static func parse(
        _ bytes: UnsafeRawBufferPointer, what: String, baseOffset: Int = 0, maxDepth: Int = 64, unsignedIntegersOnly: Bool = false
    ) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, baseOffset: baseOffset, what: what, unsignedIntegersOnly: unsignedIntegersOnly)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer, maxDepth: Int, baseOffset: Int, what: String, unsignedIntegersOnly: Bool) {
        self.bytes = bytes
        self.unsignedIntegersOnly = unsignedIntegersOnly
        self.maxDepth = maxDepth
        self.baseOffset = baseOffset
        self.what = what
    }

    private func error(_ message: String) -> ModelFormatError {
        ModelFormatError(.malformed, "invalid JSON in \(what) at offset \(baseOffset + index): \(message)")
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ description: String) throws {
        guard current == byte else { throw error("expected \(description)") }
        index += 1
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard let c = current else { throw error("unexpected end of input") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try numberValue())
        default: throw error("unexpected character 0x\(String(c, radix: 16))")
        }
    }

    private mutating func literal(_ word: String) throws {
        let count = word.utf8.count
        guard index + count <= bytes.count, word.utf8.elementsEqual(bytes[index..<(index + count)]) else {
            throw error("invalid literal")
        }
        index += count
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var entries: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(entries)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected an object key") }
            let keyStart = index
            let key = try string()
            guard entries[key] == nil else {
                index = keyStart
                throw error("duplicate key \(JSONValue.quoted(key))")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            entries[key] = try value(depth: depth)
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(entries)
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var values: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try value(depth: depth))
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(values)
        }
    }

    private mutating func digits() -> Int {
        let start = index
        while let c = current, c >= 0x30, c <= 0x39 { index += 1 }
        return index - start
    }

    /// A number literal's value (see `unsignedIntegersOnly`).
    private mutating func numberValue() throws -> Double {
        let start = index
        let text = try number()
        if unsignedIntegersOnly {
            guard let integer = UInt64(text), let value = Double(exactly: integer) else {
                index = start
                throw error("\(text) is not a non-negative integer (that a double holds exactly)")
            }
            return value
        }
        guard let value = Double(text) else {
            index = start
            throw error("invalid number")
        }
        return value
    }

    private mutating func number() throws -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw error("invalid number")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("invalid number: no digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("invalid number: no exponent digits") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func string() throws -> String {
        index += 1
        var utf8: [UInt8] = []
        var runStart = index
        while true {
            guard let c = current else { throw error("unterminated string") }
            if c == UInt8(ascii: "\"") {
                utf8 += bytes[runStart..<index]
                index += 1
                break
            }
            if c < 0x20 { throw error("unescaped control character in a string") }
            if c != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            utf8 += bytes[runStart..<index]
            index += 1
            guard let e = current else { throw error("unterminated escape") }
            index += 1
            switch e {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate in \\u escape")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                utf8 += Array(String(Character(unicode)).utf8)
            default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
            runStart = index
        }
        let string = String(decoding: utf8, as: UTF8.self)
        guard string.utf8.count == utf8.count, string.utf8.elementsEqual(utf8) else { throw error("invalid UTF-8 in a string") }
        return string
    }
}
