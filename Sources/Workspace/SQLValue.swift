import Foundation

/// A value bound to or read from a statement, the same on both engines: integers (booleans are 0/1),
/// doubles (timestamps are seconds since 1970), text, or NULL.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        }
    }

    public var string: String? {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .null: nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .double(let value): Int(value)
        case .text(let value): Int(value)
        case .null: nil
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .text(let value): Double(value)
        case .null: nil
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }

    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
}

/// One result row: column names in order, and their values.
public struct SQLRow: Sendable, Hashable {
    public var columns: [String]
    public var values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.firstIndex(of: column) else { return .null }
        return values[index]
    }
}
