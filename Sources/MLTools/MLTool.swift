import JSONValues

/// One operation other programs call: an MCP tool (`ml mcp`, `ml serve --mcp`) and the same operation behind REST.
/// Its input schema is what a client validates against; ``run`` gets the arguments, reports progress, honours task
/// cancellation, and returns structured output with a short text for a model to read.
public struct MLTool: Sendable {
    public var name: String
    public var title: String
    /// What it does, when to use it and what it returns: written for a model choosing a tool.
    public var description: String
    /// A JSON Schema object (`type: object`, `properties`, `required`, `additionalProperties: false`).
    public var inputSchema: JSONValue
    /// Whether it only reads (no file written, no model loaded for long).
    public var readOnly: Bool
    /// Checks the arguments before anything runs (a job refuses bad ones at once); ``run`` checks them again.
    public var validate: @Sendable (ToolArguments) throws -> Void
    public var run: @Sendable (ToolArguments, ToolProgress) async throws -> ToolOutput

    public init(name: String, title: String, description: String, inputSchema: JSONValue, readOnly: Bool,
                validate: @escaping @Sendable (ToolArguments) throws -> Void = { _ in },
                run: @escaping @Sendable (ToolArguments, ToolProgress) async throws -> ToolOutput) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
        self.validate = validate
        self.run = run
    }

    /// The argument names the schema declares.
    public var argumentNames: Set<String> {
        guard case .object(let schema) = inputSchema, case .object(let properties)? = schema["properties"] else { return [] }
        return Set(properties.keys)
    }

    /// Checks the arguments' names against the schema, then runs.
    public func call(_ arguments: [String: JSONValue], progress: ToolProgress = .none) async throws -> ToolOutput {
        try check(arguments)
        return try await run(ToolArguments(arguments), progress)
    }

    /// Checks the arguments' names against the schema and their values with ``validate``.
    public func check(_ arguments: [String: JSONValue]) throws {
        let unknown = Set(arguments.keys).subtracting(argumentNames)
        if let name = unknown.sorted().first {
            throw ToolError(.invalidArgument, "unknown argument '\(name)'; \(self.name) takes "
                            + (argumentNames.isEmpty ? "no arguments" : argumentNames.sorted().joined(separator: ", ")))
        }
        try validate(ToolArguments(arguments))
    }
}

/// What a tool returns: a JSON value (MCP `structuredContent`, the REST body's `data`) and a short text.
public struct ToolOutput: Sendable, Hashable {
    public var structured: JSONValue
    public var text: String

    public init(structured: JSONValue, text: String) {
        self.structured = structured
        self.text = text
    }
}

/// Where a tool reports how far it is (MCP progress notifications; nothing when the client asked for none).
public struct ToolProgress: Sendable {
    public var report: @Sendable (_ done: Double, _ total: Double?, _ message: String?) async -> Void

    public init(report: @escaping @Sendable (_ done: Double, _ total: Double?, _ message: String?) async -> Void) {
        self.report = report
    }

    public static let none = ToolProgress { _, _, _ in }
}
