/// An agent failure, with a stable code and a message naming what failed.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case configuration, copy, conversion, server, evaluation, recording
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
