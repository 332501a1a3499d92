/// An agent failure: a stable code, a message naming what failed, and the error it wraps.
public struct AgentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable category: the step that failed.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let configuration = Code(rawValue: "configuration")
        public static let copy = Code(rawValue: "copy")
        public static let conversion = Code(rawValue: "conversion")
        public static let server = Code(rawValue: "server")
        public static let evaluation = Code(rawValue: "evaluation")
        public static let recording = Code(rawValue: "recording")
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
