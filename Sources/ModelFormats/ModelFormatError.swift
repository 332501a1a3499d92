/// An error reading, writing or converting a model file: a stable code, a message naming the offset and value at
/// fault, and the error it wraps.
public struct ModelFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error category.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be opened, mapped, read or written.
        public static let io = Code(rawValue: "io")
        /// The file does not start with the format's magic bytes.
        public static let invalidMagic = Code(rawValue: "invalid_magic")
        /// A format version this reader does not handle (GGUF v1).
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// The file ends before a structure it declares.
        public static let truncated = Code(rawValue: "truncated")
        /// A count, length or size is above the configured limits.
        public static let limitExceeded = Code(rawValue: "limit_exceeded")
        /// The bytes contradict the format: bad offsets, sizes, types, JSON, duplicates.
        public static let malformed = Code(rawValue: "malformed")
        /// Valid but not handled here: an unknown dtype, a LoRA module without a GGUF name, DoRA.
        public static let unsupported = Code(rawValue: "unsupported")
        /// The caller's input is inconsistent: a writer fed the wrong number of bytes, a missing architecture.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// Two files disagree: an adapter's shapes against its base model, ranks within an adapter.
        public static let mismatch = Code(rawValue: "mismatch")
    }

    public var code: Code
    public var message: String
    /// The error this one wraps, kept for callers that inspect it (its text is already in `message`).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }

    /// Equal when code and message are (the wrapped error is not compared).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
