/// A ``CodedError`` that may carry the HTTP status a server answered with: the status is part of its identity and of
/// its description, `code (HTTP status): message`.
public protocol HTTPStatusError: CodedError {
    /// The HTTP status, for errors reported by a server.
    var status: Int? { get }
}

extension HTTPStatusError {
    public var description: String {
        if let status { return "\(code) (HTTP \(status)): \(message)" }
        return "\(code): \(message)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.status == rhs.status
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(status)
    }
}
