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

    /// A string value (``JSONStringDecoding``), refusing invalid UTF-8.
    private mutating func string() throws -> String {
        let utf8: [UInt8]
        do throws(JSONStringDecoding.Failure) {
            utf8 = try JSONStringDecoding.decode(bytes, at: &index)
        } catch {
            throw self.error(error.message)
        }
        let string = String(decoding: utf8, as: UTF8.self)
        guard string.utf8.count == utf8.count, string.utf8.elementsEqual(utf8) else { throw error("invalid UTF-8 in a string") }
        return string
    }
}
