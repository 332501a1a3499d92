import Foundation
import Testing

@testable import Recording

/// The reference measurements: names, tags, fields and synthetic timestamps.
@Suite struct CheckpointRecordsTests {
    static let run = CheckpointRecords.Run(model: "gemma-3", runID: "r1", label: "ckpt-200", iteration: 2)
    /// Seconds of iteration 2's slot, as a nanosecond string prefix.
    static func ts(_ offset: Int64) -> String { "\((1_735_689_600 + 2 * 1000 + offset) * 1_000_000_000)" }

    static let records = CheckpointRecords(
        run: run,
        categories: [
            .init(category: "reasoning", correct: 3, total: 4), .init(category: "math", correct: 1, total: 4),
        ],
        probes: [
            .init(probeID: "p-b", category: "math", passed: true),
            .init(probeID: "p-a", category: "reasoning", passed: false),
        ],
        judge: .init(reasoning: 7.5, correctness: 8, clarity: 6.5, average: 7.25),
        content: ["tone": 6, "accuracy": 8.5]
    )

    @Test func constantsAreTheReferenceEpochAndStep() throws {
        #expect(CheckpointRecords.baseEpochSeconds == 1_735_689_600)
        #expect(CheckpointRecords.iterationStepSeconds == 1000)
        let date = Date(timeIntervalSince1970: TimeInterval(CheckpointRecords.baseEpochSeconds))
        #expect(ISO8601DateFormatter().string(from: date) == "2025-01-01T00:00:00Z")
        #expect(try CheckpointRecords.timestamp(iteration: 3, offset: 7) == (1_735_689_600 + 3007) * 1_000_000_000)
    }

    @Test func exactLines() throws {
        let tags = "label=ckpt-200,model=gemma-3,run_id=r1"
        let expected = [
            "capability_score,category=overall,\(tags) accuracy=50.0,correct=4i,total=8i,iteration=2i \(Self.ts(0))",
            "capability_score,category=math,\(tags) accuracy=25.0,correct=1i,total=4i,iteration=2i \(Self.ts(1))",
            "capability_score,category=reasoning,\(tags) accuracy=75.0,correct=3i,total=4i,iteration=2i \(Self.ts(2))",
            "probe_score,label=ckpt-200,model=gemma-3,probe_id=p-b,run_id=r1 passed=true,iteration=2i \(Self.ts(0))",
            "probe_score,label=ckpt-200,model=gemma-3,probe_id=p-a,run_id=r1 passed=false,iteration=2i \(Self.ts(1))",
            "capability_judge,\(tags) reasoning=7.5,correctness=8.0,clarity=6.5,avg=7.25,iteration=2i \(Self.ts(0))",
            "content_score,dimension=accuracy,\(tags) score=8.5,iteration=2i \(Self.ts(0))",
            "content_score,dimension=tone,\(tags) score=6.0,iteration=2i \(Self.ts(1))",
        ]
        let lines = try LineProtocol.lines(Self.records.points())
        #expect(lines.count == expected.count)
        for (line, wanted) in zip(lines, expected) { #expect(line == wanted) }
    }

    @Test func explicitOverallOverridesTheSum() throws {
        var records = Self.records
        records.overall = .init(category: "ignored-name", correct: 9, total: 10)
        let overall = try #require(try records.capabilityScores().first)
        #expect(overall.tags["category"] == "overall")
        #expect(overall.fields.first == InfluxField("accuracy", .float(90)))
        #expect(overall.fields.contains(InfluxField("total", .integer(10))))
    }

    @Test func emptyInputsProduceNoPoints() throws {
        let records = CheckpointRecords(run: Self.run)
        #expect(try records.points().isEmpty)
        let zero = CheckpointRecords(run: Self.run, overall: .init(category: "overall", correct: 0, total: 0))
        #expect(try zero.capabilityScores().first?.fields.first == InfluxField("accuracy", .float(0)))
    }

    @Test func overallIsAReservedCategory() {
        let records = CheckpointRecords(run: Self.run, categories: [.init(category: "overall", correct: 1, total: 1)])
        let error = #expect(throws: RecordingError.self) { try records.points() }
        #expect(error?.code == .invalidInput)
    }

    @Test func offsetsMustStayInsideTheIteration() throws {
        let probes = (0..<1001).map { CheckpointRecords.ProbeResult(probeID: "p\($0)", category: "c", passed: true) }
        let tooMany = CheckpointRecords(run: Self.run, probes: probes)
        #expect(throws: RecordingError.self) { try tooMany.probeScores() }
        let fits = CheckpointRecords(run: Self.run, probes: Array(probes.prefix(1000)))
        #expect(try fits.probeScores().last?.timestamp == (1_735_689_600 + 2000 + 999) * 1_000_000_000)
        #expect(throws: RecordingError.self) { try CheckpointRecords.timestamp(iteration: -1, offset: 0) }
        #expect(throws: RecordingError.self) { try CheckpointRecords.timestamp(iteration: Int.max / 2, offset: 0) }
    }
}
