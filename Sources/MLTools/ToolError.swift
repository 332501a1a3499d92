import MLErrors

/// Why a tool call failed: a stable code and a message a model can act on. A client sees it as the tool's error
/// result (never a crash, never a hung session).
public typealias ToolError = ModuleError<ToolErrorCode>

/// The codes of ``ToolError``.
public struct ToolErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An argument is missing, of the wrong type or out of range.
    public static let invalidArgument = Self(rawValue: "invalid_argument")
    /// A file path lies outside the directories the server was allowed (`--root`).
    public static let outsideRoot = Self(rawValue: "outside_root")
    /// No tool of that name.
    public static let unknownTool = Self(rawValue: "unknown_tool")
    /// The server is running as many jobs as it may; try again later.
    public static let busy = Self(rawValue: "busy")
    /// The operation itself failed (a file that cannot be read, a model that does not load).
    public static let failed = Self(rawValue: "failed")
}
