import JSONValues

/// `response_format`: `{"type": "text" | "json_object" | "json_schema", "json_schema": {name, schema, strict}}`.
public struct ResponseFormat: Codable, Sendable, Hashable {
    public var type: String?
    public var jsonSchema: JSONSchemaFormat?

    public init(type: String?, jsonSchema: JSONSchemaFormat? = nil) {
        self.type = type
        self.jsonSchema = jsonSchema
    }

    /// Members of the wrong type are read as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        jsonSchema = try? container.decodeIfPresent(JSONSchemaFormat.self, forKey: .jsonSchema)
    }

    public static let jsonObject = ResponseFormat(type: "json_object")

    public static func jsonSchema(name: String, schema: JSONValue, strict: Bool = true) -> ResponseFormat {
        ResponseFormat(type: "json_schema", jsonSchema: JSONSchemaFormat(name: name, schema: schema, strict: strict))
    }

    enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }
}

/// The `json_schema` member of a ``ResponseFormat``.
public struct JSONSchemaFormat: Codable, Sendable, Hashable {
    public var name: String?
    public var schema: JSONValue?
    public var strict: Bool?

    public init(name: String?, schema: JSONValue?, strict: Bool?) {
        self.name = name
        self.schema = schema
        self.strict = strict
    }

    /// Members of the wrong type are read as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        schema = try container.decodeIfPresent(JSONValue.self, forKey: .schema)
        strict = try? container.decodeIfPresent(Bool.self, forKey: .strict)
    }

    enum CodingKeys: String, CodingKey { case name, schema, strict }
}

/// `stream_options`: only `include_usage` (a last chunk with the token counts).
public struct StreamOptions: Codable, Sendable, Hashable {
    public var includeUsage: Bool?

    public init(includeUsage: Bool?) { self.includeUsage = includeUsage }

    /// A member of the wrong type is read as absent.
    public init(from decoder: any Decoder) throws {
        includeUsage = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .includeUsage)
    }

    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
}
