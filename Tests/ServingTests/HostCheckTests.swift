import HTTPTestSupport
import InferenceTesting
import Serving
import Synchronization
import Testing

/// `ml serve` answers only requests addressed to its own names (a page on another origin must not reach the
/// model through DNS rebinding).
@Suite struct HostCheckTests {
    @Test func onlyTheServersOwnHostNamesAreAnswered() async throws {
        let server = OpenAIServer(model: ScriptedModel(tokens: ["hi"]), modelID: "smol.gguf",
                                  configuration: ServerConfiguration(port: 0, allowedHosts: ["models.lan"]))
        let port = Mutex<Int?>(nil)
        let running = Task {
            try await server.makeApplication(onServerRunning: { bound in port.withLock { $0 = bound } })
                .runService(gracefulShutdownSignals: [])
        }
        defer { running.cancel() }
        while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let bound = port.withLock { $0 }!
        for path in ["/v1/models", "/healthz", "/"] {
            let evil = try await RawHTTPRequest.get(port: bound, path: path, host: "evil.example:\(bound)")
            #expect(evil.status == 421, "\(path)")
            #expect(evil.body.contains("evil.example") && evil.body.contains("--allow-host"), "\(evil.body)")
        }
        for host in ["127.0.0.1:\(bound)", "localhost", "[::1]:\(bound)", "models.lan:\(bound)", "Models.LAN"] {
            let reply = try await RawHTTPRequest.get(port: bound, path: "/v1/models", host: host)
            #expect(reply.status == 200, "Host: \(host)")
        }
    }
}
