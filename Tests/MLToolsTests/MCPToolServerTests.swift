import Evaluation
import Foundation
import JSONValues
import MCP
import InferenceTesting
import Locking
import Testing

@testable import MLTools

/// The tools through a real MCP client and server of the official SDK, connected in memory.
@Suite struct MCPToolServerTests {
    /// A root directory with two probe-result files: probes 0–2 pass before, probes 0–1 and 3–8 after.
    static func root() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ml-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, passing) in [("old.json", Set([0, 1, 2])), ("new.json", Set([0, 1, 3, 4, 5, 6, 7, 8]))] {
            let report = ProbeReport(results: ProbeSet.builtIn.probes.prefix(10).enumerated().map { index, probe in
                ProbeResult(id: probe.id, category: probe.category, passed: passing.contains(index), response: "")
            })
            try report.encodeReferenceJSON().write(to: url.appendingPathComponent(name))
        }
        return url
    }

    /// A connected client; the server ends with the test.
    static func connect(root: URL, models: ModelPool? = nil) async throws -> (Client, Server) {
        let environment = ToolEnvironment(roots: try FileRoots([root.path]), models: models)
        let server = await MCPToolServer(environment: environment, version: "test").makeServer()
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "test", version: "1")
        _ = try await client.connect(transport: clientTransport)
        return (client, server)
    }

    static func call(_ client: Client, _ name: String, _ arguments: [String: Value]) async throws -> CallTool.Result {
        let context: RequestContext<CallTool.Result> = try await client.callTool(name: name, arguments: arguments)
        return try await context.value
    }

    static func text(_ result: CallTool.Result) -> String {
        result.content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    @Test func listsEveryToolWithItsSchema() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (client, server) = try await Self.connect(root: root)
        defer { Task { await server.stop() } }
        let tools = try await client.listTools().tools
        #expect(tools.map(\.name) == ["ml_generate", "ml_score", "ml_probe", "ml_compare", "ml_report", "ml_status", "ml_backends"])
        for tool in tools {
            #expect(tool.inputSchema.objectValue?["type"] == .string("object"), "\(tool.name)")
            #expect((tool.description ?? "").count > 80, "\(tool.name) needs a description a model can act on")
        }
        #expect(tools.first { $0.name == "ml_compare" }?.inputSchema.objectValue?["required"] == .array([.string("old"), .string("new")]))
    }

    @Test func compareGivesTheStructuredPairedRows() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (client, server) = try await Self.connect(root: root)
        defer { Task { await server.stop() } }
        let result = try await Self.call(client, "ml_compare", ["old": "old.json", "new": "new.json"])
        #expect(result.isError == false)
        let rows = try #require(result.structuredContent?.objectValue?["rows"]?.arrayValue)
        let row = try #require(rows.first?.objectValue)
        #expect(row["metric"] == .string("probe_passed") && row["test"] == .string("mcnemar-exact"))
        #expect(abs((row["p_value"]?.doubleValue ?? 0) - 0.125) < 1e-12)
        #expect(Self.text(result).contains("no difference is significant"))
    }

    @Test func badCallsAreToolErrorsAndTheSessionGoesOn() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (client, server) = try await Self.connect(root: root)
        defer { Task { await server.stop() } }
        let outside = try await Self.call(client, "ml_compare", ["old": "/etc/hostname", "new": "new.json"])
        #expect(outside.isError == true && Self.text(outside).contains("outside_root"), "\(Self.text(outside))")
        let missing = try await Self.call(client, "ml_compare", ["old": "old.json"])
        #expect(missing.isError == true && Self.text(missing).contains("'new' is required"))
        let wrongType = try await Self.call(client, "ml_compare", ["old": 3, "new": "new.json"])
        #expect(wrongType.isError == true && Self.text(wrongType).contains("'old' must be a string"))
        let unknown = try await Self.call(client, "ml_nothing", [:])
        #expect(unknown.isError == true && Self.text(unknown).contains("unknown tool 'ml_nothing'"))
        let garbage = try await Self.call(client, "ml_compare", ["old": "old.json", "new": "old.json.missing"])
        #expect(garbage.isError == true)
        // Still serving.
        #expect(try await Self.call(client, "ml_compare", ["old": "old.json", "new": "new.json"]).isError == false)
    }

    @Test func reportWritesThePageInsideTheRoot() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (client, server) = try await Self.connect(root: root)
        defer { Task { await server.stop() } }
        let result = try await Self.call(client, "ml_report", ["output": "out/../page.html", "probe_files": ["old.json", "new.json"]])
        #expect(result.isError == false, "\(Self.text(result))")
        let path = try #require(result.structuredContent?.objectValue?["path"]?.stringValue)
        #expect(path == FileRoots.canonical(root.path)! + "/page.html" || path.hasSuffix("/page.html"))
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.contains("<html") && page.contains("old.json") && page.contains("new.json"))
        // An output that is one of the inputs is refused, and the input is kept.
        let before = try Data(contentsOf: root.appendingPathComponent("old.json"))
        let clash = try await Self.call(client, "ml_report", ["output": "old.json", "probe_files": ["old.json"]])
        #expect(clash.isError == true)
        #expect(try Data(contentsOf: root.appendingPathComponent("old.json")) == before)
    }

    @Test func probeReportsEveryAnswerInOrder() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let model = ScriptedModel(capacity: 4) { _ in ["42"] }
        let (client, server) = try await Self.connect(root: root, models: ModelPool(limit: 1) { _ in model })
        defer { Task { await server.stop() } }
        let seen = Locked<[Double]>([])
        _ = await client.onNotification(ProgressNotification.self) { message in seen.withLock { $0.append(message.params.progress) } }
        let context: RequestContext<CallTool.Result> = try await client.callTool(
            name: "ml_probe", arguments: ["categories": ["code", "word"], "output": "probe.json"],
            meta: Metadata(progressToken: .string("p1")))
        let result = try await context.value
        #expect(result.isError == false, "\(Self.text(result))")
        let total = ProbeSet.builtIn.probes.filter { ["code", "word"].contains($0.category) }.count
        #expect(result.structuredContent?.objectValue?["total"] == .int(total))
        // Notifications may trail the reply by a moment.
        for _ in 0..<100 where seen.current.count < total { try await Task.sleep(for: .milliseconds(10)) }
        #expect(seen.current == (1...total).map(Double.init))
        let file = try ProbeResultFile(path: root.appendingPathComponent("probe.json").path)
        #expect(file.total == total)
        let unknown = try await Self.call(client, "ml_probe", ["categories": ["astrology"]])
        #expect(unknown.isError == true && Self.text(unknown).contains("unknown category 'astrology'"))
    }

    @Test func cancellingAProbeCallStopsItsGeneration() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let model = ScriptedModel(delay: .milliseconds(50), capacity: 1) { _ in Array(repeating: "word ", count: 2000) }
        let (client, server) = try await Self.connect(root: root, models: ModelPool(limit: 1) { _ in model })
        defer { Task { await server.stop() } }
        let context: RequestContext<CallTool.Result> = try await client.callTool(
            name: "ml_probe", arguments: ["concurrency": 1, "max_tokens": 2000, "output": "cancelled.json"])
        for _ in 0..<200 where model.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(model.requests.count == 1)
        try await client.cancelRequest(context.requestID, reason: "test")
        for _ in 0..<300 where model.cancelledCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(model.cancelledCount == 1, "the generation in flight was not cancelled")
        try await Task.sleep(for: .milliseconds(300))
        #expect(model.requests.count == 1, "no further probe is asked after the cancellation")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("cancelled.json").path))
        // The session goes on.
        #expect(try await Self.call(client, "ml_compare", ["old": "old.json", "new": "new.json"]).isError == false)
    }

    @Test func resultFilesAreResources() async throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (client, server) = try await Self.connect(root: root)
        defer { Task { await server.stop() } }
        #expect(try await Self.call(client, "ml_report", ["output": "page.html", "probe_files": ["old.json"]]).isError == false)
        let (resources, _) = try await client.listResources()
        #expect(Set(resources.map(\.name)) == ["latest-report", "page.html", "old.json", "new.json"])
        let contents = try await client.readResource(uri: ResultFiles.latestReportURI)
        #expect(contents.first?.text?.contains("<html") == true)
        await #expect(throws: (any Error).self) { _ = try await client.readResource(uri: "file:///etc/passwd") }
    }
}
