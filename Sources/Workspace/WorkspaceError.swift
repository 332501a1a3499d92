import Foundation

/// An error of the workspace store: a stable code, a message naming what failed, and the underlying error.
public struct WorkspaceError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The workspace location is not a SQLite path or a `postgres://` URL, or cannot be opened.
        case location
        /// A statement failed.
        case database
        /// The schema is newer than this program, or a read-only open found no schema.
        case schema
        /// A write was attempted through a read-only workspace.
        case readOnly
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
