/// An error reading or writing a model file: a stable code, and a message naming the offset and value at fault.
public struct ModelFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let io = Code(rawValue: "io")
        public static let invalidMagic = Code(rawValue: "invalid_magic")
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        public static let truncated = Code(rawValue: "truncated")
        public static let limitExceeded = Code(rawValue: "limit_exceeded")
        public static let malformed = Code(rawValue: "malformed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
