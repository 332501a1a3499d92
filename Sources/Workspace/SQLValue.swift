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

extension SQLValue {
    /// Throws when a text value holds U+0000. Why: PostgreSQL cannot store it in `text` at all, and SQLite's C API
    /// (through GRDB) cuts the string there; both engines refuse it here, so a row is stored whole or not at all.
    public static func requireStorable(_ binds: [SQLValue], location: String) throws {
        for (index, bind) in binds.enumerated() {
            if case .text(let text) = bind, text.utf8.contains(0) {
                throw WorkspaceError(
                    .unstorableText,
                    "\(location): parameter \(index + 1) contains a NUL character (U+0000), which the workspace cannot store")
            }
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
