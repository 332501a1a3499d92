import MLErrors

/// An error of the workspace store: a stable code, a message naming what failed, and the underlying error.
public typealias WorkspaceError = ModuleError<WorkspaceErrorCode>

/// The codes of ``WorkspaceError``.
public struct WorkspaceErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone: it already names the workspace and the step that failed.
    public static var showsCodeInDescription: Bool { false }

    /// The workspace location is not a SQLite path or a `postgres://` URL, or cannot be opened.
    public static let location = Self(rawValue: "location")
    /// The server could not be reached or refused the connection (wrong password, missing database, …).
    public static let connection = Self(rawValue: "connection")
    /// A statement failed.
    public static let database = Self(rawValue: "database")
    /// The schema is newer than this program, or a read-only open found no schema.
    public static let schema = Self(rawValue: "schema")
    /// A text value holds a character the engines cannot store whole (U+0000).
    public static let unstorableText = Self(rawValue: "unstorable_text")
    /// A write was attempted through a read-only workspace.
    public static let readOnly = Self(rawValue: "readOnly")
}
