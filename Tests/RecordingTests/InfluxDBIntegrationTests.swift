import Foundation
import InfluxTestSupport
import Testing

@testable import Recording

/// Against a real InfluxDB 1.x started by each test (`influxd` must be installed; a missing one fails the test).
@Suite(.serialized) struct InfluxDBIntegrationTests {
    static let base: Int64 = 1_739_577_600_000_000_000

    func count(_ client: InfluxClient, _ measurement: String, groupBy: String? = nil) async throws -> [String: Int64] {
        let group = groupBy.map { " GROUP BY \"\($0)\"" } ?? ""
        let series = try await client.query("SELECT count(value) FROM \"\(measurement)\"\(group)")
        var counts: [String: Int64] = [:]
        for entry in series {
            let key = groupBy.flatMap { entry.tags[$0] } ?? "all"
            counts[key] = entry.rows.first?["count"]?.intValue
        }
        return counts
    }

    @Test func everyFieldTypeRoundTripsThroughV1() async throws {
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                let text = #"say "hi" \ a,b c=d"#
                let points = [
                    InfluxPoint(
                        measurement: "lp test,x",
                        tags: ["host": "a b,c=d", "empty": ""],
                        fields: [
                            InfluxField("i", 42), InfluxField("neg", -7), InfluxField("f", 1.5),
                            InfluxField("tiny", 1e-7),
                            InfluxField("big", 1.5e300), InfluxField("t", true), InfluxField("s", .string(text)),
                            InfluxField("odd key,=", 1),
                        ],
                        timestamp: Self.base + 1
                    ),
                    InfluxPoint(
                        measurement: "lp test,x",
                        tags: ["host": "second"],
                        fields: [
                            InfluxField("i", .integer(.max)), InfluxField("f", 2.0), InfluxField("t", false),
                            InfluxField("s", ""),
                        ],
                        timestamp: Self.base + 2
                    ),
                ]
                try await client.write(points)
                let rows = try await client.query(#"SELECT * FROM "lp test,x""#).flatMap(\.rows)
                try #require(rows.count == 2)
                #expect(rows[0]["time"] == .integer(Self.base + 1))
                #expect(rows[0]["i"] == .integer(42))
                #expect(rows[0]["neg"] == .integer(-7))
                #expect(rows[0]["f"] == .double(1.5))
                #expect(rows[0]["tiny"]?.doubleValue == 1e-7)
                #expect(rows[0]["big"]?.doubleValue == 1.5e300)
                #expect(rows[0]["t"] == .bool(true))
                #expect(rows[0]["s"] == .string(text))
                #expect(rows[0]["odd key,="]?.intValue == 1)
                #expect(rows[0]["host"] == .string("a b,c=d"))
                #expect(rows[0]["empty"] == nil, "empty tag values are not written")
                #expect(rows[1]["time"] == .integer(Self.base + 2))
                #expect(rows[1]["i"] == .integer(.max))
                #expect(rows[1]["f"]?.doubleValue == 2.0)
                #expect(rows[1]["t"] == .bool(false))
                #expect(rows[1]["s"] == .string(""))
                #expect(rows[1]["host"] == .string("second"))

                // A newline inside a string field value is legal (it is quoted) and survives the round trip.
                try await client.write([
                    InfluxPoint(measurement: "multiline", fields: [InfluxField("s", "one\ntwo")], timestamp: Self.base)
                ])
                let multiline = try await client.query("SELECT s FROM multiline").flatMap(\.rows)
                #expect(multiline.first?["s"] == .string("one\ntwo"))

                let fieldTypes = try await client.query(#"SHOW FIELD KEYS FROM "lp test,x""#).flatMap(\.rows)
                let types = Dictionary(
                    uniqueKeysWithValues: fieldTypes.compactMap { row in
                        row["fieldKey"]?.stringValue.map { ($0, row["fieldType"]?.stringValue ?? "?") }
                    }
                )
                #expect(
                    types == [
                        "i": "integer", "neg": "integer", "f": "float", "tiny": "float", "big": "float",
                        "t": "boolean", "s": "string", "odd key,=": "integer",
                    ]
                )
                let tagKeys = try await client.query(#"SHOW TAG KEYS FROM "lp test,x""#).flatMap(\.rows).compactMap {
                    $0["tagKey"]?.stringValue
                }
                #expect(tagKeys == ["host"])
            }
        }
    }

    @Test func serverRejectionsSurfaceTheirMessage() async throws {
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                try await client.write([
                    InfluxPoint(measurement: "typed", fields: [InfluxField("v", 1)], timestamp: Self.base)
                ])
                let conflict = await #expect(throws: RecordingError.self) {
                    try await client.write([
                        InfluxPoint(measurement: "typed", fields: [InfluxField("v", "text")], timestamp: Self.base + 1)
                    ])
                }
                #expect(conflict?.code == .serverError)
                #expect(conflict?.status == 400)
                #expect(conflict?.message.contains("field type conflict") == true, "\(conflict?.message ?? "")")
                let missing = await #expect(throws: RecordingError.self) {
                    try await client.query("SELECT * FROM nowhere.autogen.typed")
                }
                #expect(missing?.code == .queryFailed)
                #expect(missing?.message.contains("database not found") == true, "\(missing?.message ?? "")")
            }
        }
    }

    /// Backslashes inside names and tag values reach InfluxDB and read back exactly. A trailing one has no escape
    /// in InfluxDB's line protocol (`\\` is not one: the server rejects both spellings), so the encoder refuses the
    /// point with the tag's name instead of sending a batch the server rejects whole.
    @Test func backslashesInTagsRoundTripAndATrailingOneIsRefusedBeforeSending() async throws {
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                let values = [#"a\,b"#, #"a\ b"#, #"C:\dir\x"#, #"\\srv\share=1"#]
                try await client.write(values.enumerated().map { index, value in
                    InfluxPoint(
                        measurement: "backslash", tags: ["path": value], fields: [InfluxField(#"f\k"#, 1)],
                        timestamp: Self.base + Int64(index))
                })
                let rows = try await client.query("SELECT * FROM backslash").flatMap(\.rows)
                #expect(rows.compactMap { $0["path"]?.stringValue } == values)
                #expect(rows.allSatisfy { $0[#"f\k"#]?.intValue == 1 })

                let trailing = InfluxPoint(
                    measurement: "trailing", tags: ["path": #"C:\"#, "host": "h"], fields: [InfluxField("v", 1)],
                    timestamp: Self.base)
                let refused = await #expect(throws: RecordingError.self) { try await client.write([trailing]) }
                #expect(refused?.code == .invalidPoint)
                #expect(refused?.message.contains("tag 'path'") == true, "\(refused?.message ?? "")")
                // What the server makes of the two spellings an encoder could try: both are refused.
                for spelling in [#"C:\"#, #"C:\\"#] {
                    let error = await #expect(throws: RecordingError.self) {
                        try await client.writeBatch(["trailing,path=\(spelling),host=h v=1i \(Self.base)"])
                    }
                    #expect(error?.status == 400)
                }
            }
        }
    }

    /// A batch InfluxDB refuses as malformed is set aside (``PointBuffer/rejectedPath``), never retried forever:
    /// the batches after it replay, and a recorder writes the batches after a rejected one instead of buffering
    /// them behind it. A server that is down still buffers (``bufferedWritesReachInfluxDBAfterARestart()``).
    @Test func aRejectedBatchIsSetAsideAndTheOthersAreWritten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = LogCapture()
        try await InfluxDBProcess.with { server in
            try await withInfluxClient(configuration: server.configuration(batchSize: 2)) { client in
                let buffer = PointBuffer(path: dir.path("buffer.jsonl"), logger: logs.logger())
                // Buffered by an earlier version that sent a tag value ending in a backslash: unparsable.
                let bad = ["buffered,batch=C:\\ value=1i \(Self.base + 50)"]
                try await buffer.append(bad)
                try await buffer.append(LineProtocol.lines(Self.batch("A", 2, from: 0)))
                try await buffer.append(LineProtocol.lines(Self.batch("B", 2, from: 100)))
                let replay = await buffer.replay { try await client.writeBatch($0) }
                #expect(replay.sent == 2 && replay.rejected == 1 && replay.remaining == 0, "\(replay)")
                #expect(replay.failure == nil)
                #expect(try await count(client, "buffered", groupBy: "batch") == ["A": 2, "B": 2])
                #expect(try await buffer.pending().isEmpty, "the buffer is not stuck behind the bad batch")
                let aside = try String(contentsOfFile: buffer.rejectedPath, encoding: .utf8)
                #expect(aside.contains(#"buffered,batch=C:\\ value=1i"#), "the batch itself is kept: \(aside)")
                #expect(aside.contains("unable to parse"), "with InfluxDB's reason: \(aside)")
                #expect(logs.text.contains(buffer.rejectedPath), "the message names the file: \(logs.text)")

                // Live writes: a field-type conflict in the first batch; the second batch is still written.
                try await client.write([InfluxPoint(measurement: "typed", fields: [InfluxField("v", 1)], timestamp: Self.base)])
                let recorder = InfluxRecorder(client: client, buffer: buffer, logger: logs.logger())
                let outcome = try await recorder.record([
                    InfluxPoint(measurement: "typed", tags: ["k": "a"], fields: [InfluxField("v", "text")], timestamp: Self.base + 1),
                    InfluxPoint(measurement: "typed", tags: ["k": "b"], fields: [InfluxField("v", 2)], timestamp: Self.base + 2),
                    InfluxPoint(measurement: "typed", tags: ["k": "c"], fields: [InfluxField("v", 3)], timestamp: Self.base + 3),
                ])
                guard case .rejected(batches: 1, written: 1, let file, let error) = outcome else {
                    Issue.record("the conflicting batch should be set aside, the other written: \(outcome)")
                    return
                }
                #expect(file == buffer.rejectedPath)
                #expect((error as? RecordingError)?.status == 400)
                #expect(try await buffer.pending().isEmpty, "a rejected batch is not buffered")
                let typed = try await client.query("SELECT count(v) FROM typed").first?.rows.first?["count"]?.intValue
                #expect(typed == 3, "the first point, the conflict's batch-mate (a partial write) and the next batch")
                let rejected = try String(contentsOfFile: buffer.rejectedPath, encoding: .utf8)
                #expect(rejected.contains("field type conflict"), "\(rejected)")
            }
        }
    }

    @Test func checkpointRecordsAreWrittenAndReadBack() async throws {
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                let points = try CheckpointRecordsTests.records.points()
                try await client.write(points)
                let ts = { (offset: Int64) in Self.base + (2000 + offset) * 1_000_000_000 }

                let capability = try await client.query(
                    "SELECT accuracy, correct, total, iteration, category FROM capability_score WHERE run_id = 'r1-capability-auto'"
                ).flatMap(\.rows)
                #expect(capability.map { $0["category"]?.stringValue } == ["overall", "math", "reasoning"])
                #expect(capability.map { $0["accuracy"]?.doubleValue } == [57.1, 33.3, 75])
                #expect(capability.map { $0["time"]?.intValue } == [ts(0), ts(1), ts(2)])
                #expect(capability.map { $0["correct"]?.intValue } == [4, 1, 3])
                #expect(capability.map { $0["total"]?.intValue } == [7, 3, 4])
                #expect(capability.allSatisfy { $0["iteration"] == .integer(2) })

                let probes = try await client.query("SELECT passed, probe_id FROM probe_score WHERE model = 'gemma-3'")
                    .flatMap(\.rows)
                #expect(probes.map { $0["probe_id"]?.stringValue } == ["p-b", "p-a", "p-c"])
                #expect(probes.map { $0["passed"] } == [.integer(1), .integer(0), .integer(0)])
                #expect(probes.map { $0["time"]?.intValue } == [ts(101), ts(102), ts(103)])

                let judge = try await client.query("SELECT * FROM capability_judge").flatMap(\.rows)
                #expect(judge.map { $0["probe_id"]?.stringValue } == ["p-b", "p-c"])
                #expect(judge.map { $0["avg"]?.doubleValue } == [7.33, 6.67])
                #expect(judge.first?["label"] == .string("G3 @0000002"))
                #expect(judge.map { $0["time"]?.intValue } == [ts(0), ts(2)])

                let content = try await client.query("SELECT score, dimension, run_id, has_kernel FROM content_score")
                    .flatMap(\.rows)
                #expect(content.map { $0["dimension"]?.stringValue } == ["ccp_compliance", "truth_telling", "emotional_register"])
                #expect(content.map { $0["score"]?.doubleValue } == [9, 7.5, 4])
                #expect(content.allSatisfy { $0["run_id"] == .string("r1-content-auto") && $0["has_kernel"] == .string("true") })

                // Re-scoring the same checkpoint lands on the same instants: no new points.
                try await client.write(points)
                let total = try await client.query("SELECT count(accuracy) FROM capability_score").flatMap(\.rows)
                #expect(total.first?["count"]?.intValue == 3)
            }
        }
    }

    static func batch(_ name: String, _ size: Int, from start: Int64) -> [InfluxPoint] {
        (0..<size).map { index in
            InfluxPoint(
                measurement: "buffered",
                tags: ["batch": name],
                fields: [InfluxField("value", .integer(Int64(index)))],
                timestamp: base + start + Int64(index)
            )
        }
    }

    @Test func bufferedWritesReachInfluxDBAfterARestart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = LogCapture()
        try await InfluxDBProcess.with { server in
            try await withInfluxClient(configuration: server.configuration(batchSize: 3)) { client in
                let recorder = InfluxRecorder(
                    client: client,
                    buffer: PointBuffer(path: dir.path("buffer.jsonl")),
                    logger: logs.logger()
                )
                let a = try await recorder.record(Self.batch("A", 4, from: 0))
                guard case .written(points: 4, batches: 2) = a else {
                    Issue.record("batch A should be written in two requests: \(a)")
                    return
                }

                await server.stop()
                let b = try await recorder.record(Self.batch("B", 5, from: 100))
                let c = try await recorder.record(Self.batch("C", 2, from: 200))
                guard case .buffered(batches: 2, written: 0, let error) = b,
                    case .buffered(batches: 1, written: 0, _) = c
                else {
                    Issue.record("B and C should be buffered: \(b), \(c)")
                    return
                }
                #expect((error as? RecordingError)?.code == .transport)
                #expect(try await recorder.buffer.pending().count == 3)

                try await server.start()
                let flushed = await recorder.flushBuffer()
                #expect(flushed.sent == 3 && flushed.remaining == 0 && flushed.failure == nil)

                #expect(try await count(client, "buffered", groupBy: "batch") == ["A": 4, "B": 5, "C": 2])
                #expect(try await count(client, "buffered") == ["all": 11])
                #expect(
                    try Data(contentsOf: URL(fileURLWithPath: recorder.buffer.path)).isEmpty,
                    "the buffer file is empty"
                )
                #expect(!FileManager.default.fileExists(atPath: recorder.buffer.badPath))
                #expect(logs.text.contains("buffered for replay"))
            }
        }
    }

    @Test func crashDuringReplayResendsOnlyTheRest() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("buffer.jsonl")
        let batches = try [
            LineProtocol.lines(Self.batch("A", 3, from: 0)),
            LineProtocol.lines(Self.batch("B", 3, from: 100)),
            LineProtocol.lines(Self.batch("C", 3, from: 200)),
        ]
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                let buffer = PointBuffer(path: path)
                for batch in batches { try await buffer.append(batch) }

                // The process "dies" right after the first batch reached InfluxDB.
                let first = PointBufferTests.Sent()
                let interrupted = await buffer.replay { lines in
                    if !first.all.isEmpty { throw CancellationError() }
                    try await client.writeBatch(lines)
                    first.add(lines)
                }
                #expect(interrupted.sent == 1 && interrupted.remaining == 2)
                #expect(first.all == [batches[0]])

                // A new process opens the same file: exactly B and C are left, and only they are sent.
                let restarted = PointBuffer(path: path)
                #expect(try await restarted.pending().map(\.lines) == [batches[1], batches[2]])
                let second = PointBufferTests.Sent()
                let resumed = await restarted.replay { lines in
                    try await client.writeBatch(lines)
                    second.add(lines)
                }
                #expect(resumed.sent == 2 && resumed.remaining == 0)
                #expect(second.all == [batches[1], batches[2]])
                #expect(try await count(client, "buffered", groupBy: "batch") == ["A": 3, "B": 3, "C": 3])

                // Had the crash come after the write but before the rewrite, A would be sent twice: harmless.
                try await client.writeBatch(batches[0])
                #expect(try await count(client, "buffered") == ["all": 9])
            }
        }
    }
}
