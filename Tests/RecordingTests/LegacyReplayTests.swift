import Foundation
import InfluxTestSupport
import Testing

@testable import Recording

/// A buffer written before the reference's format replays into a reference database without a field-type conflict.
@Suite struct LegacyReplayTests {
    @Test func oldBufferedPointsAreConvertedOrDroppedAndLogged() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let old = { (offset: Int64) in (1_735_689_600 + 2000 + offset) * 1_000_000_000 }
        try await InfluxDBProcess.with { server in
            try await server.withClient { client in
                // The reference database already holds passed as an integer.
                try await client.writeBatch([
                    "probe_score,model=m,run_id=ref,label=l,probe_id=x passed=1i,iteration=1i 1739578701000000000"
                ])
                let buffer = PointBuffer(path: dir.path("buffer.jsonl"))
                try await buffer.append([
                    "probe_score,label=l,model=m,probe_id=p-a,run_id=r passed=true,iteration=2i \(old(0))",
                    "capability_judge,label=l,model=m,run_id=r reasoning=7.0,correctness=8.0,clarity=6.0,avg=7.0,iteration=2i \(old(0))",
                ])
                try await buffer.append([
                    "content_score,dimension=tone,label=l,model=m,run_id=r score=3.0,iteration=2i \(old(0))"
                ])
                let logs = LogCapture()
                let recorder = InfluxRecorder(client: client, buffer: buffer, logger: logs.logger())
                let replay = await recorder.flushBuffer()
                #expect(replay.failure == nil)
                #expect(replay.sent == 2 && replay.remaining == 0)
                let rows = try await client.query("SELECT passed FROM probe_score WHERE run_id = 'r'").flatMap(\.rows)
                #expect(rows.map { $0["passed"] } == [.integer(1)])
                let converted: Int64 = (1_739_577_600 + 2000 + 101) * 1_000_000_000
                #expect(rows.map { $0["time"] } == [.integer(converted)])
                #expect(try await client.query("SELECT * FROM capability_judge").isEmpty)
                #expect(try await client.query("SELECT * FROM content_score").isEmpty)
                #expect(logs.text.contains("converted"))
                #expect(logs.text.contains("dropped"))
                #expect(logs.text.contains("capability_judge of l"))
            }
        }
    }
}
