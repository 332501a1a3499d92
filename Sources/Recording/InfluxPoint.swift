/// One InfluxDB point: a measurement, tags, ordered fields and an optional timestamp in nanoseconds.
public struct InfluxPoint: Sendable, Hashable {
    public var measurement: String
    /// Tags; emitted in ``tagOrder`` then sorted by key, and those with an empty value are dropped.
    public var tags: [String: String]
    /// Tag keys emitted first, in this order (the reference's measurements fix their tag order); the other tags
    /// follow sorted by key.
    public var tagOrder: [String] = []
    /// Fields, emitted in this order. At least one is required.
    public var fields: [InfluxField]
    /// Nanoseconds since the Unix epoch; `nil` lets the server stamp the point (``InfluxRecorder`` stamps it first).
    public var timestamp: Int64?

    public init(
        measurement: String, tags: [String: String] = [:], tagOrder: [String] = [], fields: [InfluxField],
        timestamp: Int64? = nil
    ) {
        self.measurement = measurement
        self.tags = tags
        self.tagOrder = tagOrder
        self.fields = fields
        self.timestamp = timestamp
    }

    /// The tags in emission order: ``tagOrder`` first, then the rest sorted by key.
    public var orderedTags: [(key: String, value: String)] {
        let first = tagOrder.compactMap { key in tags[key].map { (key: key, value: $0) } }
        let listed = Set(tagOrder)
        return first + tags.filter { !listed.contains($0.key) }.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}

/// A field key and its typed value.
public struct InfluxField: Sendable, Hashable {
    public var key: String
    public var value: InfluxFieldValue

    public init(_ key: String, _ value: InfluxFieldValue) {
        self.key = key
        self.value = value
    }
}

/// A field value: line protocol distinguishes integers (`42i`), floats, booleans and strings.
public enum InfluxFieldValue: Sendable, Hashable {
    case integer(Int64)
    /// Finite values only; NaN and infinities are rejected when encoding.
    case float(Double)
    case boolean(Bool)
    case string(String)
}

extension InfluxFieldValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral
{
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
