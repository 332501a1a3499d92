import Foundation
import Evaluation
import Testing

@testable import Recording

/// The reference measurements exactly as shared/spec/recording.md states them: names, tag order, field types and
/// the timestamp formula.
@Suite struct CheckpointRecordsTests {
    static let run = CheckpointRecords.Run(
        model: "gemma-3", runID: "r1-capability-auto", label: "G3 @0000002", iteration: 2)
    /// Nanoseconds of 1739577600 + 2 × 1000 + offset, as text.
    static func ts(_ offset: Int64) -> String { "\((1_739_577_600 + 2 * 1000 + offset) * 1_000_000_000)" }

    static let records = CheckpointRecords(
        run: run,
        categories: [
            .init(category: "reasoning", correct: 3, total: 4), .init(category: "math", correct: 1, total: 3),
        ],
        probes: [
            .init(id: "p-b", category: "math", passed: true, response: ""),
            .init(id: "p-a", category: "reasoning", passed: false, response: ""),
            .init(id: "p-c", category: "math", passed: false, response: ""),
        ],
        judged: [
            .init(index: 0, probeID: "p-b", category: "math", reasoning: 7.5, correctness: 8, clarity: 6.5),
            // p-a (index 1) was unusable: no point. p-c's average 20/3 is written with two decimals.
            .init(index: 2, probeID: "p-c", category: "math", reasoning: 6, correctness: 7, clarity: 7),
        ],
        content: [
            .init(index: 0, scores: ["ccp_compliance": 9, "truth_telling": 7.5]),
            .init(index: 1, scores: ["emotional_register": 4, "off_spec": 1]),
        ]
    )

    @Test func constantsAreTheReferenceEpochAndStep() throws {
        #expect(CheckpointRecords.baseEpochSeconds == 1_739_577_600)
        #expect(CheckpointRecords.iterationStepSeconds == 1000)
        let date = Date(timeIntervalSince1970: TimeInterval(CheckpointRecords.baseEpochSeconds))
        #expect(ISO8601DateFormatter().string(from: date) == "2025-02-15T00:00:00Z")
        #expect(try CheckpointRecords.timestamp(iteration: 3, offset: 7) == (1_739_577_600 + 3007) * 1_000_000_000)
        #expect(Self.run.contentRunID == "r1-content-auto")
    }

    @Test func exactLines() throws {
        let tags = "model=gemma-3,run_id=r1-capability-auto,label=G3\\ @0000002"
        let content = "model=gemma-3,run_id=r1-content-auto,label=G3\\ @0000002"
        let expected = [
            "capability_score,\(tags),category=overall accuracy=57.1,correct=4i,total=7i,iteration=2i \(Self.ts(0))",
            "capability_score,\(tags),category=math accuracy=33.3,correct=1i,total=3i,iteration=2i \(Self.ts(1))",
            "capability_score,\(tags),category=reasoning accuracy=75.0,correct=3i,total=4i,iteration=2i \(Self.ts(2))",
            "probe_score,\(tags),probe_id=p-b passed=1i,iteration=2i \(Self.ts(101))",
            "probe_score,\(tags),probe_id=p-a passed=0i,iteration=2i \(Self.ts(102))",
            "probe_score,\(tags),probe_id=p-c passed=0i,iteration=2i \(Self.ts(103))",
            "capability_judge,\(tags),probe_id=p-b,category=math reasoning=7.5,correctness=8.0,clarity=6.5,avg=7.33,iteration=2i \(Self.ts(0))",
            "capability_judge,\(tags),probe_id=p-c,category=math reasoning=6.0,correctness=7.0,clarity=7.0,avg=6.67,iteration=2i \(Self.ts(2))",
            "content_score,\(content),dimension=ccp_compliance,has_kernel=true score=9.0,iteration=2i \(Self.ts(0))",
            "content_score,\(content),dimension=truth_telling,has_kernel=true score=7.5,iteration=2i \(Self.ts(1))",
            "content_score,\(content),dimension=emotional_register,has_kernel=true score=4.0,iteration=2i \(Self.ts(15))",
        ]
        let lines = try LineProtocol.lines(Self.records.points())
        #expect(lines.count == expected.count)
        for (line, wanted) in zip(lines, expected) { #expect(line == wanted) }
    }

    @Test func categoriesAreOrderedByteWise() throws {
        // Byte-wise: "Zeta" (0x5A) before "alpha" (0x61) before "ärger" (0xC3 …).
        let records = CheckpointRecords(run: Self.run, categories: [
            .init(category: "ärger", correct: 1, total: 1), .init(category: "alpha", correct: 1, total: 1),
            .init(category: "Zeta", correct: 1, total: 1),
        ])
        #expect(try records.capabilityScores().map { $0.tags["category"] } == ["overall", "Zeta", "alpha", "ärger"])
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
        let probes = (0..<1001).map { ProbeResult(id: "p\($0)", category: "c", passed: true, response: "") }
        let tooMany = CheckpointRecords(run: Self.run, probes: probes)
        #expect(throws: RecordingError.self) { try tooMany.probeScores() }
        // Probe offsets are 100 + the 1-based position, so 899 probes fit in one iteration.
        let fits = CheckpointRecords(run: Self.run, probes: Array(probes.prefix(899)))
        #expect(try fits.probeScores().last?.timestamp == (1_739_577_600 + 2000 + 999) * 1_000_000_000)
        #expect(throws: RecordingError.self) { try CheckpointRecords(run: Self.run, probes: Array(probes.prefix(900))).probeScores() }
        #expect(throws: RecordingError.self) { try CheckpointRecords.timestamp(iteration: -1, offset: 0) }
        #expect(throws: RecordingError.self) { try CheckpointRecords.timestamp(iteration: Int.max / 2, offset: 0) }
    }
}
