/// A JSON value, as parsed by ``JSONParser``: numbers keep their text so 64-bit integers stay exact, and
/// objects keep their key order.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    /// A double: integral values without a fraction (`160`), others in Swift's shortest form (`0.05`).
    static func double(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .null }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number(String(value))
    }

    /// The value of `key`, for an object (first occurrence).
    subscript(key: String) -> JSONValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    var objectValue: [(key: String, value: JSONValue)]? {
        if case .object(let v) = self { return v }
        return nil
    }

    /// The value as an unsigned integer: plain digits only (no sign, fraction or exponent), no overflow.
    var uint64Value: UInt64? {
        guard case .number(let text) = self, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(text)
    }

    /// The value as an `Int`, when it is integral (`8`, `8.0`) and fits.
    var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let v = Int(text) { return v }
        guard let d = Double(text), d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// Serialised JSON text; `indent` > 0 pretty-prints with that many spaces per level.
    func serialized(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int, level: Int) {
        let newline = indent > 0 ? "\n" : ""
        let pad = { (level: Int) in String(repeating: " ", count: indent * level) }
        switch self {
        case .null: out += "null"
        case .bool(let v): out += v ? "true" : "false"
        case .number(let v): out += v
        case .string(let v): out += Self.quoted(v)
        case .array(let values):
            if values.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, value) in values.enumerated() {
                out += pad(level + 1)
                value.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < values.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .object(let entries):
            if entries.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, entry) in entries.enumerated() {
                out += pad(level + 1) + Self.quoted(entry.key) + (indent > 0 ? ": " : ":")
                entry.value.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < entries.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    /// `string` as a JSON string literal.
    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
