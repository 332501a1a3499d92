import Foundation

/// A JSON value from a query result, keeping integers (nanosecond timestamps, counts) exact.
public enum InfluxValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([InfluxValue])
    case object([String: InfluxValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = Self.decodeBool(container) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode([InfluxValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: InfluxValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// A boolean only for JSON `true`/`false`, never a number bridged to one.
    private static func decodeBool(_ container: any SingleValueDecodingContainer) -> Bool? {
        guard let value = try? container.decode(Bool.self) else { return nil }
        if (try? container.decode(Double.self)) != nil { return nil }
        return value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Integers, and doubles that are whole numbers.
    public var intValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value): return value.rounded() == value && abs(value) < 9.2e18 ? Int64(value) : nil
        default: return nil
        }
    }

    /// Doubles and integers.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
