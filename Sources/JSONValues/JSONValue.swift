import Foundation

/// A JSON value: the one JSON document model of the package (judge replies, score files, model configs,
/// safetensors headers, OpenAI `response_format` schemas).
///
/// Booleans, numbers and strings stay apart (judge replies are validated by type). Numbers are `Double`s:
/// where an exact 64-bit integer matters (safetensors offsets), the strict parser that reads the bytes checks
/// the literal itself. Objects are unordered; ``serialized(indent:)`` writes their keys sorted, so written
/// files are byte-stable.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = Self.decodeBool(container) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// A boolean only when the JSON token is `true`/`false` (never a number bridged to a boolean).
    private static func decodeBool(_ container: any SingleValueDecodingContainer) -> Bool? {
        guard let value = try? container.decode(Bool.self) else { return nil }
        // Some Foundation versions decode 0/1 as booleans; a number that also decodes as Double is a number.
        if (try? container.decode(Double.self)) != nil { return nil }
        return value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON text; `nil` when it is not valid JSON.
    public static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// A short name of the value's type, for reasons.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    // MARK: - Building

    public static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(Double(value)) }

    /// A double; a non-finite one (which JSON cannot hold) is `null`.
    public static func double(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }

    /// An object from key-value pairs (a later duplicate key wins).
    public static func object(_ members: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
    }

    // MARK: - Reading

    /// The value of `key`, for an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let v) = self { return v }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let v) = self { return v }
        return nil
    }

    /// The value as an `Int`, when it is integral (`8`, `8.0`) and fits.
    public var intValue: Int? {
        guard case .number(let v) = self, v == v.rounded(), abs(v) < 9e15 else { return nil }
        return Int(v)
    }

    /// The value as an unsigned integer, when it is a whole number that fits.
    public var uint64Value: UInt64? {
        guard case .number(let v) = self else { return nil }
        return UInt64(exactly: v)
    }

    // MARK: - Writing

    /// Serialised JSON text, object keys sorted; `indent` > 0 pretty-prints with that many spaces per level.
    /// Integral numbers below 10^15 are written without a fraction (`160`), others in Swift's shortest form.
    public func serialized(indent: Int = 0) -> String {
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
        case .number(let v):
            if !v.isFinite {
                out += "null"
            } else if v == v.rounded(), abs(v) < 1e15 {
                out += String(Int64(v))
            } else {
                out += String(v)
            }
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
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            let sorted = members.sorted { $0.key < $1.key }
            for (i, member) in sorted.enumerated() {
                out += pad(level + 1) + Self.quoted(member.key) + (indent > 0 ? ": " : ":")
                member.value.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < sorted.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    /// `string` as a JSON string literal (`"`, `\` and control characters escaped; everything else as is).
    public static func quoted(_ string: String) -> String {
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
