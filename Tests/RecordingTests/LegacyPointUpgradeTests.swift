import Testing

@testable import Recording

/// Buffered points from before the reference's format are converted or dropped before replay, never replayed as
/// the wrong type.
@Suite struct LegacyPointUpgradeTests {
    /// Old base (2025-01-01) + iteration 2 × 1000 + offset, in ns.
    static func old(_ offset: Int64) -> Int64 { (1_735_689_600 + 2000 + offset) * 1_000_000_000 }
    static func new(_ offset: Int64) -> Int64 { (1_739_577_600 + 2000 + offset) * 1_000_000_000 }

    @Test func oldProbeScoreBecomesAnIntegerAtTheReferenceInstant() {
        let line = "probe_score,label=ckpt\\ 2,model=gemma-3,probe_id=p-a,run_id=r1 passed=true,iteration=2i \(Self.old(1))"
        #expect(LegacyPointUpgrade.upgrade(line) == .converted(
            "probe_score,model=gemma-3,run_id=r1,label=ckpt\\ 2,probe_id=p-a passed=1i,iteration=2i \(Self.new(102))"))
    }

    @Test func oldCapabilityScoreMovesToTheReferenceBase() {
        let line = "capability_score,category=math,label=l,model=m,run_id=r accuracy=25.0,correct=1i,total=4i,iteration=2i \(Self.old(1))"
        #expect(LegacyPointUpgrade.upgrade(line) == .converted(
            "capability_score,model=m,run_id=r,label=l,category=math accuracy=25.0,correct=1i,total=4i,iteration=2i \(Self.new(1))"))
    }

    @Test func averagedJudgeAndContentPointsAreDroppedWithAReason() {
        let result = LegacyPointUpgrade.upgrade([
            "capability_judge,label=l,model=m,run_id=r reasoning=7.5,correctness=8.0,clarity=6.5,avg=7.33,iteration=2i \(Self.old(0))",
            "content_score,dimension=ccp_compliance,label=l,model=m,run_id=r score=3.0,iteration=2i \(Self.old(0))",
            "other,host=a value=1i \(Self.old(0))",
        ])
        #expect(result.lines == ["other,host=a value=1i \(Self.old(0))"])
        #expect(result.dropped.count == 2)
        #expect(result.dropped[0].contains("capability_judge of l"))
        #expect(result.dropped[1].contains("content_score of l dimension ccp_compliance"))
    }

    @Test func currentPointsAndForeignLinesAreLeftAlone() throws {
        let current = try LineProtocol.lines(CheckpointRecordsTests.records.points())
        #expect(LegacyPointUpgrade.upgrade(current) == .init(lines: current, converted: 0, dropped: []))
        #expect(LegacyPointUpgrade.upgrade("cpu,host=a usage=0.5 123") == .unchanged)
        #expect(LegacyPointUpgrade.upgrade("not line protocol") == .unchanged)
        #expect(LegacyPointUpgrade.upgrade("probe_score,probe_id=a passed=true \(Self.old(0))") == .unchanged, "no iteration field")
    }

    @Test func parsesWhatLineProtocolWrites() throws {
        let point = InfluxPoint(measurement: "m x", tags: ["k,1": "v=1 2"],
                                fields: [InfluxField("s", .string(#"a "q" \ b"#)), InfluxField("i", .integer(-3)),
                                         InfluxField("f", .float(1.5)), InfluxField("b", .boolean(false))],
                                timestamp: 42)
        let parsed = try #require(LegacyPointUpgrade.parse(try LineProtocol.encode(point)))
        #expect(parsed == point)
    }
}
