/// One series of an InfluxQL result (`results[].series[]`).
public struct InfluxSeries: Sendable, Hashable, Decodable {
    public var name: String
    /// Group-by tags, when the query grouped by tag.
    public var tags: [String: String]
    public var columns: [String]
    public var values: [[InfluxValue]]

    public init(name: String, tags: [String: String] = [:], columns: [String], values: [[InfluxValue]]) {
        self.name = name
        self.tags = tags
        self.columns = columns
        self.values = values
    }

    /// Each value row as a dictionary keyed by column, with the series' group-by tags added.
    public var rows: [[String: InfluxValue]] {
        values.map { row in
            var object = tags.mapValues { InfluxValue.string($0) }
            for (column, value) in zip(columns, row) { object[column] = value }
            return object
        }
    }

    enum CodingKeys: String, CodingKey { case name, tags, columns, values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        tags = try container.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
        columns = try container.decodeIfPresent([String].self, forKey: .columns) ?? []
        values = try container.decodeIfPresent([[InfluxValue]].self, forKey: .values) ?? []
    }
}
