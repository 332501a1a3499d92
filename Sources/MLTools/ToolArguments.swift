import JSONValues

/// A tool call's arguments, read by type: a wrong type or a value out of range is a ``ToolError`` naming the
/// argument and what it takes.
public struct ToolArguments: Sendable, Hashable {
    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    public func string(_ name: String) throws -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw ToolError(.invalidArgument, "'\(name)' must be a string")
        }
    }

    public func requiredString(_ name: String) throws -> String {
        guard let text = try string(name), !text.isEmpty else {
            throw ToolError(.invalidArgument, "'\(name)' is required (a non-empty string)")
        }
        return text
    }

    /// A list of strings; a single string counts as a list of one.
    public func strings(_ name: String) throws -> [String] {
        switch values[name] {
        case nil, .null?: return []
        case .string(let text)?: return [text]
        case .array(let items)?:
            return try items.map {
                guard case .string(let text) = $0 else { throw ToolError(.invalidArgument, "'\(name)' must be a list of strings") }
                return text
            }
        default: throw ToolError(.invalidArgument, "'\(name)' must be a list of strings")
        }
    }

    public func bool(_ name: String) throws -> Bool? {
        switch values[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw ToolError(.invalidArgument, "'\(name)' must be true or false")
        }
    }

    public func double(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        switch values[name] {
        case nil, .null?: return nil
        case .number(let number)? where range.contains(number): return number
        default: throw ToolError(.invalidArgument, "'\(name)' must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    public func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        switch values[name] {
        case nil, .null?: return nil
        case .number(let number)? where number == number.rounded() && Double(range.lowerBound) <= number
            && number <= Double(range.upperBound):
            return Int(number)
        default: throw ToolError(.invalidArgument, "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// A file path argument resolved inside `roots` (see ``FileRoots/resolve(_:)``).
    public func path(_ name: String, in roots: FileRoots) throws -> String? {
        try string(name).map { try roots.resolve($0) }
    }

    public func requiredPath(_ name: String, in roots: FileRoots) throws -> String {
        try roots.resolve(try requiredString(name))
    }
}
