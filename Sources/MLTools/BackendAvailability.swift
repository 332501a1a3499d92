import JSONValues

/// A backend and whether it can run on this machine (`ml backends`, `ml_backends`, `GET /v1/ml/backends`).
public struct BackendAvailability: Sendable, Hashable {
    public var name: String
    /// Why it cannot run here; nil when it can.
    public var unavailableReason: String?

    public init(name: String, unavailableReason: String?) {
        self.name = name
        self.unavailableReason = unavailableReason
    }

    /// `{"name", "available", "reason"?}`: the reference's keys, and the reason beside them.
    public var json: JSONValue {
        var entry: [String: JSONValue] = ["name": .string(name), "available": .bool(unavailableReason == nil)]
        if let unavailableReason { entry["reason"] = .string(unavailableReason) }
        return .object(entry)
    }
}
