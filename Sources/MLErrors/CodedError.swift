/// The one error shape of swift-ml: a stable code, a message that says what went wrong, and the error it wraps.
///
/// Description, equality and hashing come from here: equality and hashing use code and message only; the wrapped error
/// is kept for callers that inspect it (its text is already in `message`), not compared. Most modules need no type of
/// their own: `typealias XError = ModuleError<XErrorCode>` (``HTTPModuleError`` with an HTTP status). One with other
/// identity (an exit status, a path) declares its own struct and adds it to `==`, `hash(into:)` and `description`.
public protocol CodedError: Error, Sendable, Hashable, CustomStringConvertible {
    associatedtype Code: ErrorCode
    var code: Code { get }
    var message: String { get }
    /// The error this one wraps, if any.
    var underlying: (any Error)? { get }
}

extension CodedError {
    /// `code: message`, or the message alone where `Code.showsCodeInDescription` is false.
    public var description: String { Code.showsCodeInDescription ? "\(code): \(message)" : message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
