import MLErrors

/// An agent failure: a stable code, a message naming what failed, and the error it wraps.
public typealias AgentError = ModuleError<AgentErrorCode>

/// The codes of ``AgentError``: the step that failed.
public struct AgentErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let configuration = Self(rawValue: "configuration")
    public static let copy = Self(rawValue: "copy")
    public static let conversion = Self(rawValue: "conversion")
    public static let server = Self(rawValue: "server")
    public static let evaluation = Self(rawValue: "evaluation")
    public static let recording = Self(rawValue: "recording")
}
