import JSONValues

/// Builds the JSON Schemas of tool inputs: an object of named properties, the required ones listed, nothing else
/// allowed.
public enum ToolSchema {
    public static func object(_ properties: [(name: String, schema: JSONValue)], required: [String] = []) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(Dictionary(properties.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })),
            "required": .array(required.map(JSONValue.string)),
            "additionalProperties": .bool(false),
        ])
    }

    public static func string(_ description: String, enumeration: [String]? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("string"), "description": .string(description)]
        if let enumeration { schema["enum"] = .array(enumeration.map(JSONValue.string)) }
        return .object(schema)
    }

    public static func strings(_ description: String) -> JSONValue {
        .object(["type": .string("array"), "items": .object(["type": .string("string")]), "description": .string(description)])
    }

    public static func integer(_ description: String, minimum: Int, maximum: Int) -> JSONValue {
        .object(["type": .string("integer"), "description": .string(description), "minimum": .number(Double(minimum)),
                 "maximum": .number(Double(maximum))])
    }

    public static func number(_ description: String, minimum: Double, maximum: Double) -> JSONValue {
        .object(["type": .string("number"), "description": .string(description), "minimum": .number(minimum),
                 "maximum": .number(maximum)])
    }

    public static func boolean(_ description: String) -> JSONValue {
        .object(["type": .string("boolean"), "description": .string(description)])
    }
}
