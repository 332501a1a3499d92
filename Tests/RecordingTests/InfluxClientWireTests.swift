import Foundation
import HTTPTestSupport
import Logging
import Testing

@testable import Recording

/// Request shapes of every API version and error handling, against a scripted fake server.
@Suite struct InfluxClientWireTests {
    static let secret = "wire-S3CR3T"
    static let points = [
        InfluxPoint(measurement: "m", tags: ["host": "a"], fields: [InfluxField("v", 1)], timestamp: 10),
        InfluxPoint(measurement: "m", tags: ["host": "b"], fields: [InfluxField("v", 2.5)], timestamp: 20),
    ]

    func withServer<T>(
        _ responses: [ScriptedHTTPServer.Response],
        logger: Logger = Logger(label: "test"),
        _ settings: InfluxConfiguration,
        _ body: (InfluxClient, ScriptedHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await ScriptedHTTPServer(responses: responses)
        var configuration = settings
        configuration.url = server.baseURL + "/"
        configuration.timeout = .seconds(30)  // only against a hang: 5 s ran out under CI load
        do {
            let result = try await withInfluxClient(configuration: configuration, logger: logger) {
                try await body($0, server)
            }
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    static let noContent = ScriptedHTTPServer.Response(status: 204)

    @Test func v1WriteWithoutToken() async throws {
        try await withServer([Self.noContent], InfluxConfiguration(database: "my db")) { client, server in
            try await client.write(Self.points)
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/write?db=my%20db&precision=ns")
            #expect(request.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(request.header("Authorization") == nil)
            #expect(String(decoding: request.body, as: UTF8.self) == "m,host=a v=1i 10\nm,host=b v=2.5 20")
        }
    }

    @Test func v1WriteWithToken() async throws {
        try await withServer(
            [Self.noContent],
            InfluxConfiguration(database: "db", token: InfluxToken(Self.secret))
        ) { client, server in
            try await client.write(Self.points)
            #expect(server.requests.first?.header("Authorization") == "Token \(Self.secret)")
        }
    }

    @Test func v2Write() async throws {
        try await withServer(
            [Self.noContent],
            InfluxConfiguration(apiVersion: .v2, org: "my org", bucket: "b+1", token: InfluxToken(Self.secret))
        ) { client, server in
            try await client.write(Self.points)
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/api/v2/write?org=my%20org&bucket=b%2B1&precision=ns")
            #expect(request.header("Authorization") == "Token \(Self.secret)")
            #expect(request.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(String(decoding: request.body, as: UTF8.self) == "m,host=a v=1i 10\nm,host=b v=2.5 20")
        }
    }

    @Test func v3Write() async throws {
        try await withServer(
            [Self.noContent],
            InfluxConfiguration(apiVersion: .v3, database: "db", token: InfluxToken(Self.secret))
        ) { client, server in
            try await client.write(Self.points)
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/api/v3/write_lp?db=db&precision=nanosecond")
            #expect(request.header("Authorization") == "Bearer \(Self.secret)")
            #expect(String(decoding: request.body, as: UTF8.self) == "m,host=a v=1i 10\nm,host=b v=2.5 20")
        }
    }

    @Test func writesAreSplitIntoBatches() async throws {
        try await withServer(
            [Self.noContent],
            InfluxConfiguration(database: "db", batchSize: 2)
        ) { client, server in
            let lines = (1...5).map { "m v=\($0)i \($0)" }
            try await client.write(lines: lines)
            #expect(
                server.requests.map { String(decoding: $0.body, as: UTF8.self) } == [
                    "m v=1i 1\nm v=2i 2", "m v=3i 3\nm v=4i 4", "m v=5i 5",
                ]
            )
            try await client.write(lines: [])
            #expect(server.requests.count == 3, "an empty write sends nothing")
        }
    }

    @Test func missingSettingsAreConfigurationErrors() async throws {
        let cases: [(InfluxAPIVersion, String)] = [(.v1, "database"), (.v2, "org"), (.v3, "database")]
        for (version, missing) in cases {
            try await withServer([Self.noContent], InfluxConfiguration(apiVersion: version)) { client, server in
                let error = await #expect(throws: RecordingError.self) { try await client.write(Self.points) }
                #expect(error?.code == .invalidConfiguration)
                #expect(error?.message.contains(missing) == true)
                #expect(server.requests.isEmpty)
            }
        }
    }

    @Test func serverErrorsCarryStatusAndMessage() async throws {
        let long = String(repeating: "x", count: 3000)
        try await withServer(
            [
                .body(#"{"error":"partial write: field type conflict: input field \"v\" is type float"}"#, status: 400),
                .body(#"{"code":"unauthorized","message":"unauthorized access"}"#, status: 401),
                .body("internal failure\n", status: 500, contentType: "text/plain"),
                .body(long, status: 503, contentType: "text/plain"),
            ],
            InfluxConfiguration(database: "db", token: InfluxToken(Self.secret))
        ) { client, _ in
            var errors: [RecordingError] = []
            for _ in 0..<4 {
                let error = await #expect(throws: RecordingError.self) { try await client.write(Self.points) }
                if let error { errors.append(error) }
            }
            #expect(errors.map(\.status) == [400, 401, 500, 503])
            #expect(errors.allSatisfy { $0.code == .serverError })
            #expect(errors[0].message.contains(#"partial write: field type conflict: input field "v" is type float"#))
            #expect(errors[1].message.contains("unauthorized access"))
            #expect(errors[2].message.hasSuffix("internal failure"))
            #expect(errors[3].message.count < 600 && errors[3].message.hasSuffix("x…"))
            #expect(errors.allSatisfy { !$0.description.contains(Self.secret) })
        }
    }

    @Test func unreachableServerIsATransportError() async throws {
        let server = try await ScriptedHTTPServer(responses: [Self.noContent])
        let url = server.baseURL
        await server.shutdown()
        // A 30 s timeout and a 15 s bound: a client that waited for the timeout fails, a busy machine does not.
        try await withInfluxClient(configuration: InfluxConfiguration(url: url, database: "db", timeout: .seconds(30))) {
            client in
            let started = ContinuousClock.now
            let error = await #expect(throws: RecordingError.self) { try await client.write(Self.points) }
            #expect(error?.code == .transport)
            #expect(ContinuousClock.now - started < .seconds(15), "a refused connection fails at once")
            #expect(await !client.ping())
        }
    }

    @Test func v1QueryRequestAndParsing() async throws {
        let reply = """
            {"results":[{"statement_id":0,"series":[
              {"name":"m","tags":{"host":"a"},"columns":["time","v","s","ok"],"values":[[1735689600000000000,1.5,"x",true],[1735689601000000000,2,null,false]]},
              {"name":"m","tags":{"host":"b"},"columns":["time","v"],"values":[[1735689602000000000,3]]}]}]}
            """
        try await withServer(
            [.body(reply)],
            InfluxConfiguration(database: "db", token: InfluxToken(Self.secret))
        ) { client, server in
            let series = try await client.query(#"SELECT v + 1 FROM "m" WHERE host = 'a b'"#)
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(
                request.uri
                    == "/query?db=db&q=SELECT%20v%20%2B%201%20FROM%20%22m%22%20WHERE%20host%20%3D%20%27a%20b%27&epoch=ns"
            )
            #expect(request.header("Authorization") == "Token \(Self.secret)")
            #expect(series.count == 2)
            let rows = series.flatMap(\.rows)
            #expect(rows.count == 3)
            #expect(rows[0]["time"] == .integer(1_735_689_600_000_000_000))
            #expect(rows[0]["v"]?.doubleValue == 1.5)
            #expect(rows[0]["s"] == .string("x"))
            #expect(rows[0]["ok"] == .bool(true))
            #expect(rows[0]["host"] == .string("a"))
            #expect(rows[1]["s"] == .null)
            #expect(rows[1]["v"]?.intValue == 2)
            #expect(rows[2]["host"] == .string("b"))
        }
    }

    @Test func v1QueryErrorsAreSurfaced() async throws {
        try await withServer(
            [
                .body(#"{"results":[{"statement_id":0,"error":"database not found: nope"}]}"#),
                .body(#"{"error":"error parsing query: found EOF"}"#, status: 400),
                .body(#"{"error":"timeout"}"#),
            ],
            InfluxConfiguration(database: "nope")
        ) { client, _ in
            let notFound = await #expect(throws: RecordingError.self) { try await client.query("SELECT * FROM m") }
            #expect(notFound?.code == .queryFailed)
            #expect(notFound?.message.contains("database not found: nope") == true)
            let parse = await #expect(throws: RecordingError.self) { try await client.query("SELECT") }
            #expect(parse?.code == .queryFailed && parse?.status == 400)
            #expect(parse?.message.contains("error parsing query") == true)
            let topLevel = await #expect(throws: RecordingError.self) { try await client.query("SELECT * FROM m") }
            #expect(topLevel?.message.contains("timeout") == true)
        }
    }

    @Test func v1ExecutePostsTheStatement() async throws {
        try await withServer([.body(#"{"results":[{"statement_id":0}]}"#)], InfluxConfiguration()) { client, server in
            try await client.execute("CREATE DATABASE \"x y\"")
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/query")
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(String(decoding: request.body, as: UTF8.self) == "q=CREATE%20DATABASE%20%22x%20y%22")
        }
    }

    @Test func v3SQLQuery() async throws {
        let reply =
            #"[{"time":"2025-01-01T00:00:00","host":"a","value":1.5,"count":3,"ok":true,"note":null},{"host":"b","count":9007199254740993}]"#
        try await withServer(
            [.body(reply)],
            InfluxConfiguration(apiVersion: .v3, database: "db", token: InfluxToken(Self.secret))
        ) { client, server in
            let rows = try await client.querySQL("SELECT * FROM m")
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/api/v3/query_sql")
            #expect(request.header("Authorization") == "Bearer \(Self.secret)")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.json?["db"]?.stringValue == "db")
            #expect(request.json?["q"]?.stringValue == "SELECT * FROM m")
            #expect(request.json?["format"]?.stringValue == "json")
            #expect(rows.count == 2)
            #expect(rows[0]["time"] == .string("2025-01-01T00:00:00"))
            #expect(rows[0]["value"] == .double(1.5))
            #expect(rows[0]["count"] == .integer(3))
            #expect(rows[0]["ok"] == .bool(true))
            #expect(rows[0]["note"] == .null)
            #expect(rows[1]["count"] == .integer(9_007_199_254_740_993), "integers stay exact")
        }
    }

    @Test func v3SQLErrors() async throws {
        try await withServer(
            [
                .body(#"{"error":"error while planning query: table 'nope' not found"}"#, status: 400),
                .body("not json", status: 200, contentType: "text/plain"),
                .body("", status: 200),
            ],
            InfluxConfiguration(apiVersion: .v3, database: "db")
        ) { client, _ in
            let planning = await #expect(throws: RecordingError.self) {
                try await client.querySQL("SELECT * FROM nope")
            }
            #expect(planning?.code == .queryFailed && planning?.status == 400)
            #expect(planning?.message.contains("table 'nope' not found") == true)
            let garbage = await #expect(throws: RecordingError.self) { try await client.querySQL("SELECT 1") }
            #expect(garbage?.code == .invalidResponse)
            let empty = try await client.querySQL("SELECT 1")
            #expect(empty.isEmpty, "an empty reply is no rows")
        }
    }

    @Test func queriesNeedTheirAPIVersion() async throws {
        try await withServer(
            [Self.noContent],
            InfluxConfiguration(apiVersion: .v2, org: "o", bucket: "b")
        ) { client, server in
            await #expect(throws: RecordingError.self) { try await client.query("SELECT 1") }
            await #expect(throws: RecordingError.self) { try await client.querySQL("SELECT 1") }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func recorderBuffersAFailedWriteAndFlushesItLater() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = LogCapture()
        try await withServer(
            [.body("overloaded", status: 503, contentType: "text/plain"), Self.noContent],
            logger: logs.logger("client"),
            InfluxConfiguration(database: "db", token: InfluxToken(Self.secret))
        ) { client, server in
            let recorder = InfluxRecorder(
                client: client,
                buffer: PointBuffer(path: dir.path("buffer.jsonl")),
                logger: logs.logger()
            )
            let unstamped = InfluxPoint(measurement: "m", fields: [InfluxField("v", 1)])
            let outcome = try await recorder.record([unstamped])
            guard case .buffered(let batches, let written, let error) = outcome else {
                Issue.record("expected a buffered outcome, got \(outcome)")
                return
            }
            #expect(batches == 1 && written == 0)
            #expect((error as? RecordingError)?.status == 503)
            let pending = try await recorder.buffer.pending()
            #expect(pending.count == 1)
            let line = try #require(pending.first?.lines.first)
            #expect(line.hasPrefix("m v=1i "), "stamped before buffering: \(line)")

            let result = await recorder.flushBuffer()
            #expect(result.sent == 1 && result.remaining == 0)
            #expect(server.requests.map { String(decoding: $0.body, as: UTF8.self) } == [line, line])
            #expect(logs.text.contains("buffered"))
            #expect(logs.text.contains("wrote to InfluxDB"), "the client's own (debug) logs are checked too")
            #expect(!logs.text.contains(Self.secret))
        }
    }
}
