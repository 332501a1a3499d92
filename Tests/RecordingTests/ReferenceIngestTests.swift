import Testing

@testable import Recording

/// The reference's content-score and capability lines as points and store rows.
@Suite struct ReferenceIngestTests {
    static func ts(_ iteration: Int64, _ offset: Int64) -> Int64 { (1_739_577_600 + iteration * 1000 + offset) * 1_000_000_000 }

    @Test func labelsGiveIterationAndKernel() throws {
        #expect(try ReferenceIngest.iteration(ofLabel: "G12 @0000100") == 100)
        #expect(try ReferenceIngest.iteration(ofLabel: "a@1 b @250") == 250)
        #expect(try ReferenceIngest.iteration(ofLabel: "baseline") == 0)
        #expect(ReferenceIngest.hasKernel(label: "G12 +Kernel @100"))
        #expect(ReferenceIngest.hasKernel(label: "LEK-1b @100"))
        #expect(!ReferenceIngest.hasKernel(label: "lek-1b @100"), "LEK is matched as written")
        #expect(!ReferenceIngest.hasKernel(label: "base @100"))
    }

    /// A label number past Int64 is an error (the line is named by the caller), never iteration 0; the field
    /// `iteration` stays an integer, as the reference writes it.
    @Test func aLabelNumberPastInt64IsAnError() throws {
        let huge = "99999999999999999999"
        let content = #"{"label": "G12 @\#(huge)", "aggregates": {"truth_telling": 6.5}}"#
        let error = #expect(throws: ReferenceIngest.LineError.self) {
            try ReferenceIngest.content(content, model: "m", runID: "r")
        }
        #expect(error?.message.contains(huge) == true, "\(error?.message ?? "")")
        let capability = #"{"label": "G12 @\#(huge)", "accuracy": 50, "correct": 1, "total": 2}"#
        #expect(throws: ReferenceIngest.LineError.self) {
            try ReferenceIngest.capability(capability, model: "m", runID: "r")
        }
    }

    /// A part of a line quoted in an error is cut to an excerpt, however long the line is.
    @Test func errorsQuoteAnExcerptOfAHugeLine() {
        let name = String(repeating: "c", count: 10_000_000)
        let line = #"{"label": "G12 @1", "accuracy": 50, "correct": 1, "total": 2, "by_category": {"\#(name)": 5}}"#
        let error = #expect(throws: ReferenceIngest.LineError.self) {
            try ReferenceIngest.capability(line, model: "m", runID: "r")
        }
        #expect((error?.message.utf8.count ?? 0) < 400, "\(error?.message.utf8.count ?? 0) bytes")
        #expect(error?.message.contains("(10000000 bytes)") == true)
    }

    /// A label InfluxDB cannot carry (a trailing backslash) fails its own line, not the whole file's write.
    @Test func aLabelEndingInABackslashFailsItsLine() {
        let line = #"{"label": "G12 @100\\", "aggregates": {"truth_telling": 6.5}}"#
        let error = #expect(throws: ReferenceIngest.LineError.self) {
            try ReferenceIngest.content(line, model: "m", runID: "r")
        }
        #expect(error?.message.contains("backslash") == true, "\(error?.message ?? "")")
    }

    @Test func contentLine() throws {
        let line = #"{"label": "LEK @0000200", "aggregates": {"truth_telling": 6.5, "ccp_compliance": 8, "notes": "x"}, "probes": {"tiananmen": {"scores": {"ccp_compliance": 9, "engagement": true}}}}"#
        let parsed = try ReferenceIngest.content(line, model: "gemma-3", runID: "r-content")
        let lines = try LineProtocol.lines(parsed.points)
        #expect(lines == [
            "content_score,model=gemma-3,run_id=r-content,label=LEK\\ @0000200,dimension=ccp_compliance,has_kernel=true score=8.0,iteration=200i \(Self.ts(200, 0))",
            "content_score,model=gemma-3,run_id=r-content,label=LEK\\ @0000200,dimension=truth_telling,has_kernel=true score=6.5,iteration=200i \(Self.ts(200, 1))",
            "probe_score,model=gemma-3,run_id=r-content,label=LEK\\ @0000200,probe_id=tiananmen,dimension=ccp_compliance,has_kernel=true score=9.0,iteration=200i \(Self.ts(200, 0))",
        ])
        #expect(parsed.judgeScores == [
            JudgeScoreRecord(runID: "r-content", label: "LEK @0000200", model: "gemma-3", iteration: 200,
                             suite: "content", probeID: "tiananmen", dimension: "ccp_compliance", score: 9),
        ])
    }

    @Test func capabilityLine() throws {
        let line = #"{"label": "G12 @0000100", "accuracy": 26.1, "correct": 6, "total": 23, "by_category": {"math": {"correct": 2, "total": 5}, "logic": {"correct": 4, "total": 18}}}"#
        let parsed = try ReferenceIngest.capability(line, model: "gemma-3-12b", runID: "12b-capability-auto")
        let tags = "model=gemma-3-12b,run_id=12b-capability-auto,label=G12\\ @0000100"
        #expect(try LineProtocol.lines(parsed.points) == [
            "capability_score,\(tags),category=overall accuracy=26.1,correct=6i,total=23i,iteration=100i \(Self.ts(100, 0))",
            "capability_score,\(tags),category=logic accuracy=22.2,correct=4i,total=18i,iteration=100i \(Self.ts(100, 1))",
            "capability_score,\(tags),category=math accuracy=40.0,correct=2i,total=5i,iteration=100i \(Self.ts(100, 2))",
        ])
        #expect(parsed.checkpoint?.accuracy == 26.1)
        #expect(parsed.checkpoint?.key == CheckpointKey(runID: "12b-capability-auto", label: "G12 @0000100"))
    }

    @Test func badLinesSayWhatIsWrong() {
        let notJSON = #expect(throws: ReferenceIngest.LineError.self) { try ReferenceIngest.content("{oops", model: "m", runID: "r") }
        #expect(notJSON?.message == "not valid JSON")
        let noLabel = #expect(throws: ReferenceIngest.LineError.self) { try ReferenceIngest.capability(#"{"correct": 1, "total": 2}"#, model: "m", runID: "r") }
        #expect(noLabel?.message.contains("label") == true)
        let badCount = #expect(throws: ReferenceIngest.LineError.self) { try ReferenceIngest.capability(#"{"label": "x", "correct": "one", "total": 2}"#, model: "m", runID: "r") }
        #expect(badCount?.message.contains("correct") == true)
    }
}
