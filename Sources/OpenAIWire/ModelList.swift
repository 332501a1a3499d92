import JSONValues

/// The reply of `GET /v1/models`: `{"object": "list", "data": [{"id", "object", "owned_by", "created", …}]}`.
public struct ModelList: Codable, Sendable, Hashable {
    public var object: String?
    public var data: [ModelEntry]

    public init(data: [ModelEntry]) {
        self.object = "list"
        self.data = data
    }

    /// Entries without a string `id` are skipped.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        data = try container.decode([Skippable].self, forKey: .data).compactMap(\.entry)
    }

    private struct Skippable: Decodable {
        var entry: ModelEntry?
        init(from decoder: any Decoder) throws { entry = try? ModelEntry(from: decoder) }
    }

    enum CodingKeys: String, CodingKey { case object, data }
}

/// One model of a ``ModelList``; `meta` carries server-specific details (llama.cpp and `ml serve` use it).
public struct ModelEntry: Codable, Sendable, Hashable {
    public var id: String
    public var object: String?
    public var ownedBy: String?
    public var created: Int?
    public var meta: JSONValue?

    public init(id: String, object: String? = "model", ownedBy: String?, created: Int?, meta: JSONValue? = nil) {
        self.id = id
        self.object = object
        self.ownedBy = ownedBy
        self.created = created
        self.meta = meta
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        ownedBy = try? container.decodeIfPresent(String.self, forKey: .ownedBy)
        created = try? container.decodeIfPresent(Int.self, forKey: .created)
        meta = try? container.decodeIfPresent(JSONValue.self, forKey: .meta)
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, meta
        case ownedBy = "owned_by"
    }
}
