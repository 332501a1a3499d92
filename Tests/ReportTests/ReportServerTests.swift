import Foundation
import HTTPTestSupport
import PostgresTestSupport
@testable import Report
import Synchronization
import Testing
import Workspace

/// The live report server against real sources: a PostgreSQL workspace polled by many clients at once, and the
/// `Host` rule that keeps other origins (DNS rebinding) out.
@Suite struct ReportServerTests {
    /// Runs `server` on a free port for `body`, then stops it.
    static func live(_ server: ReportServer, _ body: (Int) async throws -> Void) async throws {
        let port = Mutex<Int?>(nil)
        let running = Task { try await server.run(onServerRunning: { bound in port.withLock { $0 = bound } }) }
        defer { running.cancel() }
        while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await body(port.withLock { $0 }!)
    }

    @Test func eightyConcurrentVersionPollsShareOnePool() async throws {
        let workspace = try await TestWorkspace.make(.postgres)
        try await workspace.store.insertPrompts(TestWorkspace.prompts(5))
        await workspace.store.close()
        let database = try #require(URLComponents(string: workspace.location)?.path.dropFirst())
        let sampler = try await Workspace.open(workspace.location, readOnly: true)
        let server = ReportServer(sources: ReportSources(store: nil, workspace: workspace.location), port: 0)
        let connections = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()"
        var highest = 0
        try await Self.live(server) { port in
            let sampling = Task { () async -> Int in
                var peak = 0
                // Cancelled mid-query when the requests are done; every finished sample counts.
                while !Task.isCancelled, let count = try? await sampler.query(connections).rows.first?.first?.int {
                    peak = max(peak, count)
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return peak
            }
            let replies = try await withThrowingTaskGroup(of: RawHTTPRequest.Reply.self) { group in
                for _ in 0..<80 {
                    group.addTask { try await RawHTTPRequest.get(port: port, path: "/report/version", host: "127.0.0.1:\(port)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            sampling.cancel()
            highest = await sampling.value
            #expect(replies.count == 80)
            #expect(replies.allSatisfy { $0.status == 200 && $0.body.contains("version") && !$0.body.contains("no workspace") },
                    "\(replies.filter { $0.status != 200 || $0.body.contains("no workspace") }.prefix(3).map(\.body))")
        }
        await sampler.close()
        #expect(highest >= 1 && highest <= 8, "the report server held \(highest) connections")
    }

    @Test func onlyTheServersOwnHostNamesAreAnswered() async throws {
        let server = ReportServer(sources: ReportSources(store: nil), port: 0, allowedHosts: ["report.lan"])
        try await Self.live(server) { port in
            let evil = try await RawHTTPRequest.get(port: port, path: "/report/data", host: "evil.example")
            #expect(evil.status == 421)
            #expect(evil.body.contains("evil.example") && evil.body.contains("--allow-host"), "\(evil.body)")
            let evilWithPort = try await RawHTTPRequest.get(port: port, path: "/report/data", host: "evil.example:\(port)")
            #expect(evilWithPort.status == 421)
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "report.lan:\(port)", "[::1]:\(port)"] {
                let reply = try await RawHTTPRequest.get(port: port, path: "/report/version", host: host)
                #expect(reply.status == 200, "Host: \(host)")
            }
        }
    }
}
