import Foundation
import Testing
import PostgresTestSupport
import Workspace

/// A workspace URL the server refuses fails at once with the server's reason, and never shows the password.
@Suite struct PostgresConnectionFailureTests {
    static let password = "Sup3r-s3cret-pw"

    /// Opens `url` both ways (read-only checks the schema, read-write migrates) and returns the errors, each
    /// having come within 15 s: half the 30 s wait that used to end in "no schema", with room for a loaded CI
    /// machine (a closed port took 5.5 s while four builds ran on the two cores; 1-2 s when idle).
    static func failures(_ url: String) async throws -> [String] {
        var descriptions: [String] = []
        for readOnly in [true, false] {
            let started = ContinuousClock.now
            do {
                let store = try await Workspace.open(url, readOnly: readOnly)
                await store.close()
                Issue.record("opening \(Workspace.printable(url)) succeeded")
            } catch {
                descriptions.append("\(error)")
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(15), "took \(elapsed)")
        }
        return descriptions
    }

    @Test func aWrongPasswordFailsAtOnceWithTheServersReason() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let name = try #require(URLComponents(string: database)?.path.dropFirst())
        try await cluster.createPasswordRole("pw_user", password: Self.password)
        // PostgreSQL 15 lets only the database's owner create tables in its `public` schema.
        try await cluster.execute("ALTER DATABASE \(name) OWNER TO pw_user")
        let right = "postgres://pw_user:\(Self.password)@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable"
        let store = try await Workspace.open(right)
        await store.close()
        let wrong = "postgres://pw_user:not-\(Self.password)@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable"
        for description in try await Self.failures(wrong) {
            #expect(description.contains("password authentication failed for user"), "\(description)")
            #expect(!description.contains(Self.password), "\(description)")
            #expect(!description.contains("no schema"), "\(description)")
        }
    }

    @Test func aClosedPortFailsAtOnceWithConnectionRefused() async throws {
        let port = try PostgresCluster.freePort()
        let url = "postgres://pw_user:\(Self.password)@127.0.0.1:\(port)/none?sslmode=disable"
        for description in try await Self.failures(url) {
            #expect(description.lowercased().contains("connection refused"), "\(description)")
            #expect(!description.contains(Self.password), "\(description)")
        }
    }

    @Test func aMissingDatabaseFailsAtOnceNamingIt() async throws {
        let cluster = try await PostgresCluster.shared()
        for description in try await Self.failures(cluster.url(database: "no_such_database")) {
            #expect(description.contains(#"database "no_such_database" does not exist"#), "\(description)")
            #expect(!description.contains("no schema"), "\(description)")
        }
    }
}
