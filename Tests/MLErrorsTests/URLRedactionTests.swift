import MLErrors
import Testing

/// URLs as they may be shown: no user, password or query; paths untouched.
@Suite struct URLRedactionTests {
    @Test(arguments: [
        ("http://user:secret@127.0.0.1:1/", "http://127.0.0.1:1/"),
        ("https://user@example.com/v1?key=abc#top", "https://example.com/v1#top"),
        ("postgres://ml:p@ss@db.example:5433/data?sslmode=require", "postgres://db.example:5433/data"),
        ("http://a:x@h1:8080,http://b:y@h2:8081/v1", "http://h1:8080,http://h2:8081/v1"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("/data/a@b/workspace.sqlite", "/data/a@b/workspace.sqlite"),
    ])
    func userinfoAndQueryAreRemoved(_ location: String, _ printable: String) {
        #expect(URLRedaction.printable(location) == printable)
    }
}
