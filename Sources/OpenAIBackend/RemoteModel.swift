/// A model a server lists at `GET /v1/models`.
public struct RemoteModel: Sendable, Hashable, Codable {
    public var id: String
    public var ownedBy: String?
}
