/// The host names a local server answers for: loopback names and the address it binds, plus names its user
/// added. A request naming another host in `Host:` is refused, so a page on another origin cannot reach the
/// server by pointing its own name at 127.0.0.1 (DNS rebinding).
public struct AllowedHosts: Sendable, Hashable {
    /// The accepted names, lowercased, without brackets or port.
    public let names: Set<String>

    /// `localhost`, `127.0.0.1`, `::1`, `bindHost` and `extra` (each given as a name, an IP or `[IPv6]`, any case).
    public init(bindHost: String, extra: [String] = []) {
        names = Set((["localhost", "127.0.0.1", "::1", bindHost] + extra).map { Self.name(ofHost: $0) })
    }

    /// Whether a request with this `Host` header (or HTTP/2 authority) may be answered. A request without one
    /// (HTTP/1.0) comes from no browser, so it is answered.
    public func accepts(_ host: String?) -> Bool {
        guard let host, !host.isEmpty else { return true }
        return names.contains(Self.name(ofHost: host))
    }

    /// What a refused client is told.
    public func refusal(_ host: String) -> String {
        let name = Self.name(ofHost: host)
        return """
            421 Misdirected Request: this server does not answer for the host '\(name)' (it answers \
            \(names.sorted().joined(separator: ", "))). If that name is yours, start the server with --allow-host \(name).

            """
    }

    /// `host` without its port and IPv6 brackets, lowercased, without a trailing dot.
    static func name(ofHost host: String) -> String {
        var name = Substring(host.lowercased())
        if name.hasPrefix("[") {
            name = name.dropFirst().prefix { $0 != "]" }
        } else if name.filter({ $0 == ":" }).count == 1, let colon = name.firstIndex(of: ":") {
            name = name[..<colon]
        }
        while name.hasSuffix(".") { name = name.dropLast() }
        return String(name)
    }
}
