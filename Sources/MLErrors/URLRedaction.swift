/// The one home of URL redaction: a URL as it may be printed, logged or stored — in an error message, a log line,
/// a record's model source, an InfluxDB field — without its user name, password and query (a query may carry a
/// token). Every module's messages go through it, so a `--url http://user:pass@host` never leaks. Here, in the
/// lowest module, so that every module can use it; written without Foundation, as the rest of `MLErrors`.
public enum URLRedaction {
    /// `location` safe to show: `scheme://host[:port]/path` (fragment kept), a string without `://` (a file path)
    /// as it is. Several URLs joined by commas are each redacted.
    public static func printable(_ location: String) -> String {
        if location.contains(",") {
            return location.split(separator: ",", omittingEmptySubsequences: false).map { printable(String($0)) }
                .joined(separator: ",")
        }
        guard let schemeEnd = location.firstRange(of: "://") else { return location }
        let scheme = location[..<schemeEnd.lowerBound]
        var rest = location[schemeEnd.upperBound...]
        // The authority ends at the first `/`, `?` or `#`; its userinfo is everything up to its last `@`
        // (a password may itself contain `@` when it was not percent-encoded).
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
        }
        var fragment = Substring("")
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[hash...]
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return scheme + "://" + rest + fragment
    }
}
