import Foundation
import Testing

@testable import Evaluation

/// The scoring engine's pure parts, without I/O: output order, when to wait, which journaled results a resumed run
/// reuses, what is done with each line, which judge suites apply.
@Suite struct ScoringCoreTests {
    // MARK: Reorder buffer

    @Test func reorderBufferHandsItemsBackInSequenceOnly() {
        var buffer = ReorderBuffer<String>()
        let seqs = (0..<4).map { _ in buffer.assign() }
        #expect(seqs == [0, 1, 2, 3])
        #expect(buffer.span == 4)
        buffer.insert("c", at: 2)
        buffer.insert("b", at: 1)
        #expect(buffer.popNext() == nil, "0 has not finished: nothing may pass it")
        #expect(buffer.waitingCount == 2)
        buffer.insert("a", at: 0)
        var out: [String] = []
        while let next = buffer.popNext() { out.append(next) }
        #expect(out == ["a", "b", "c"])
        #expect(buffer.emitted == 3 && buffer.span == 1, "3 is read, not finished")
        buffer.insert("d", at: 3)
        #expect(buffer.popNext() == "d" && buffer.popNext() == nil && buffer.span == 0)
    }

    @Test func inFlightLimitWaitsAtConcurrencyAndAtTheWindow() {
        let limit = InFlightLimit(concurrency: 2, reorderWindow: 5)
        #expect(!limit.mustWait(inFlight: 1, span: 1))
        #expect(limit.mustWait(inFlight: 2, span: 2), "at the concurrency")
        #expect(limit.mustWait(inFlight: 1, span: 5), "one slow item holds the window")
        #expect(!limit.mustWait(inFlight: 0, span: 50), "nothing in flight: nothing to wait for")
    }

    // MARK: Resume decisions

    static func result(_ id: String, line: Int, failed: Bool = false) -> ItemResult {
        ItemResult(line: line, id: id, model: "m", error: failed ? "judge failed" : nil)
    }

    @Test func resumedResultsAreTakenOncePreferringTheSameLine() {
        var resumable = ResumableResults(["a": [Self.result("a", line: 1), Self.result("a", line: 7)],
                                          "b": [Self.result("b", line: 2)]], retryFailed: false)
        #expect(resumable.journaledIDs == ["a", "b"])
        #expect(resumable.take(id: "a", line: 7)?.line == 7, "the entry journaled for this line")
        let moved = resumable.take(id: "a", line: 9)
        #expect(moved?.line == 9, "the other duplicate, renumbered to where the item is now")
        #expect(resumable.take(id: "a", line: 10) == nil, "each journaled result is reused once")
        #expect(resumable.take(id: "c", line: 3) == nil)
        #expect(resumable.journaledIDs == ["a", "b"], "the ids journaled at the start stay known")
    }

    @Test func failedResultsAreReusedUnlessRetried() {
        let journaled = ["a": [Self.result("a", line: 1, failed: true)]]
        var keep = ResumableResults(journaled, retryFailed: false)
        #expect(keep.take(id: "a", line: 1)?.failed == true)
        var retry = ResumableResults(journaled, retryFailed: true)
        #expect(retry.take(id: "a", line: 1) == nil, "scored again")
        #expect(retry.take(id: "a", line: 1) == nil, "and used up, not offered a second time")
    }

    @Test func journalLinesOfAnotherConfigurationOrTornAreSkipped() throws {
        let decoder = JSONDecoder()
        let result = String(decoding: try JSONEncoder().encode(Self.result("a", line: 3)), as: UTF8.self)
        let line = #"{"config":"h1","key":"a","result":"# + result + "}"
        let entry = try #require(ScoringJournal.entry(line, configHash: "h1", decoder: decoder))
        #expect(entry.key == "a" && entry.result == Self.result("a", line: 3))
        #expect(ScoringJournal.entry(line, configHash: "h2", decoder: decoder) == nil, "another configuration")
        #expect(ScoringJournal.entry(String(line.prefix(line.count / 2)), configHash: "h1", decoder: decoder) == nil,
                "torn by a crash")
        #expect(ScoringJournal.entry("", configHash: "h1", decoder: decoder) == nil)
    }

    // MARK: Plans

    static let item = ResponseItem(id: "q1", domain: "capability", prompt: "p", response: "The answer is 42.", model: "m",
                                   correctAnswer: "42", riskArea: "misinformation")

    static func plan(_ analyzed: AnalyzedLine, suites: [JudgeSuite] = [],
                     resumable: inout ResumableResults) -> ItemPlan? {
        ItemPlan.plan(analyzed, line: 4, judgeSuites: suites, applicability: JudgeApplicability(),
                      analyzer: ItemAnalyzer(suites: [.heuristic, .exact]), resumable: &resumable)
    }

    @Test func planWritesInlineJudgesOrReuses() throws {
        var none = ResumableResults([:], retryFailed: false)
        #expect(Self.plan(.blank, resumable: &none) == nil)
        guard case .unreadable(let failure)? = Self.plan(.unreadable(ItemResult(line: 4, error: "line 4: invalid JSON")),
                                                         resumable: &none)
        else { Issue.record("an unreadable line is written as its failure"); return }
        #expect(failure.failures == ["line 4: invalid JSON"])

        let scored = ItemAnalyzer(suites: [.heuristic]).score(Self.item, line: 4)
        guard case .inline(let inline, let encoded)? = Self.plan(.item(Self.item, scored: scored, encoded: Data("x".utf8)),
                                                                 resumable: &none)
        else { Issue.record("no judge suite: written as scored"); return }
        #expect(inline == scored && encoded == Data("x".utf8), "the analysis's encoding is reused")

        // Left unscored by the analysis (its id was journaled) but not resumable: scored here, encoded later.
        guard case .inline(let late, let lateEncoding)? = Self.plan(.item(Self.item, scored: nil, encoded: nil),
                                                                    resumable: &none)
        else { Issue.record("scored in the plan"); return }
        #expect(late.heuristic != nil && late.standard?.correct == true && late.line == 4 && lateEncoding == nil)

        guard case .judge(_, let judged, let suites)? = Self.plan(.item(Self.item, scored: scored, encoded: nil),
                                                                  suites: [.semantic, .content, .capability, .truthfulqa,
                                                                           .donotanswer, .toxigen],
                                                                  resumable: &none)
        else { Issue.record("judge suites apply"); return }
        #expect(judged == Self.item)
        #expect(suites == [.semantic, .capability, .donotanswer], "only the suites that apply, in order")

        var resumable = ResumableResults(["q1": [Self.result("q1", line: 4)]], retryFailed: false)
        guard case .resumed(let reused)? = Self.plan(.item(Self.item, scored: nil, encoded: nil), suites: [.semantic],
                                                     resumable: &resumable)
        else { Issue.record("a journaled result is reused, not judged again"); return }
        #expect(reused == Self.result("q1", line: 4))
    }

    // MARK: Judge applicability

    @Test func judgeSuitesApplyByTheSpecsUsedWhenColumn() {
        let rules = JudgeApplicability()
        let plain = ResponseItem(id: "x", prompt: "p", response: "r", model: "m")
        #expect(rules.applicable(JudgeSuite.allCases, to: plain) == [.semantic])
        var content = plain
        content.domain = "Content"
        #expect(!rules.applies(.content, to: content), "content needs a known content probe")
        content.id = "taiwan_status-2"
        #expect(rules.applies(.content, to: content))
        let probe = ProbeSet.builtIn.probes[0]
        let capability = ResponseItem(id: probe.id, prompt: "p", response: "r", model: "m")
        #expect(rules.applies(.capability, to: capability), "a built-in probe's id is a capability item")
        #expect(!JudgeApplicability(probeSet: ProbeSet(probes: [])).applies(.capability, to: capability))
        #expect(rules.applies(.truthfulqa, to: ResponseItem(id: "t", prompt: "p", response: "r", model: "m", bestAnswer: "b")))
        #expect(rules.applies(.toxigen, to: ResponseItem(id: "t", domain: "ToxiGen", prompt: "p", response: "r", model: "m")))
    }

    @Test func judgeInputCarriesTheReferenceAndDropsReasoning() {
        let rules = JudgeApplicability()
        let probe = ProbeSet.builtIn.probes[0]
        let item = ResponseItem(id: probe.id, prompt: "p", response: "<think>hmm</think>answer", model: "m")
        let input = rules.input(for: .capability, item)
        #expect(input.response == "answer" && input.reference == probe.expected)
        var answered = item
        answered.correctAnswer = "7"
        #expect(rules.input(for: .capability, answered).reference == "7", "the item's own answer first")
        let risky = ResponseItem(id: "d", prompt: "p", response: "r", model: "m", riskArea: "harm")
        #expect(rules.input(for: .donotanswer, risky).riskArea == "harm")
        #expect(rules.input(for: .semantic, risky).reference == nil)
    }
}
