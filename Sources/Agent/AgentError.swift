import MLErrors

/// An agent failure: a stable code, a message naming what failed, and the error it wraps.
package typealias AgentError = ModuleError<AgentErrorCode>

/// The codes of ``AgentError``: the step that failed.
package struct AgentErrorCode: ErrorCode {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    package static let configuration = Self(rawValue: "configuration")
    package static let copy = Self(rawValue: "copy")
    package static let conversion = Self(rawValue: "conversion")
    package static let server = Self(rawValue: "server")
    package static let evaluation = Self(rawValue: "evaluation")
    package static let recording = Self(rawValue: "recording")
}
