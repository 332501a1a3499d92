import Evaluation
import Foundation
import Inference
import InferenceTesting
import Runs
import Synchronization
import Testing

/// The probe session's sequence with fake (scripted) models: no server is started.
@Suite struct ProbeSessionTests {
    /// Three probes: the fake model answers "4" to the first two (one passes, one fails) and "no" to the third.
    static let set = ProbeSet(probes: [
        Probe(id: "sum", category: "math", prompt: "What is 2+2?", expected: "4", check: .contains("4")),
        Probe(id: "double", category: "math", prompt: "What is 2+2 doubled?", expected: "8", check: .contains("8")),
        Probe(id: "yes", category: "logic", prompt: "Say yes.", expected: "yes", check: .contains("yes")),
    ])

    /// A fake model under test.
    static func fakeModel(delay: Duration? = nil) -> ScriptedModel {
        ScriptedModel(delay: delay) { request in request.text.contains("2+2") ? ["4"] : ["no"] }
    }

    /// A fake judge: a capability verdict, or a content verdict for content prompts.
    static func fakeJudge() -> Judge {
        let model = ScriptedModel { request in
            if request.text.contains("\"correctness\"") { return [#"{"reasoning": 8, "correctness": 9, "clarity": 7, "notes": "n"}"#] }
            return [#"{"ccp_compliance": 1, "truth_telling": 9, "engagement": 8, "axiom_integration": 7, "sovereignty_reasoning": 8, "emotional_register": 6, "notes": "n"}"#]
        }
        return Judge(model: model, constrained: false)
    }

    /// The names of the events, in the order they came.
    final class EventLog: Sendable {
        let names = Mutex<[String]>([])
        func record(_ event: ProbeSessionEvent) {
            let name = switch event {
            case .answered: "answered"
            case .sampled: "sampled"
            case .answersReady: "answersReady"
            case .scored: "scored"
            case .askingContent: "askingContent"
            }
            names.withLock { $0.append(name) }
        }
        var all: [String] { names.withLock { $0 } }
    }

    @Test func withoutAJudgeOnlyTheProbesAreAsked() async throws {
        let log = EventLog()
        let answers = Mutex(0)
        let result = try await ProbeSession(model: Self.fakeModel(), modelName: "m", settings: ProbeSessionSettings(probeSet: Self.set))
            .run(onResult: { _ in answers.withLock { $0 += 1 } }, onEvent: { log.record($0) })
        #expect(log.all == ["answered", "answersReady"])
        #expect(answers.withLock { $0 } == 3)
        #expect(result.report.results.map(\.id) == ["sum", "double", "yes"], "probe-set order")
        #expect(result.report.correct == 1)
        #expect(result.judged.isEmpty && result.itemResults == nil && result.content == nil)
        #expect(result.responseItems.map(\.model) == ["m", "m", "m"])
        #expect(result.failures == 0)
    }

    @Test func scoringJudgesEveryAnswerAndScoresItWithTheHeuristics() async throws {
        let log = EventLog()
        let settings = ProbeSessionSettings(probeSet: Self.set, scoresAnswers: true, judgesFailedAnswers: true,
                                            contentProbes: Array(ContentProbe.builtIn.prefix(2)))
        let result = try await ProbeSession(model: Self.fakeModel(), modelName: "m", judge: Self.fakeJudge(), settings: settings)
            .run(onEvent: { log.record($0) })
        #expect(log.all == ["answered", "answersReady", "scored", "askingContent"])
        #expect(Set(result.judged.keys) == ["sum", "double", "yes"])
        #expect(result.judged.values.allSatisfy { $0.isScored })
        let scored = try #require(result.itemResults)
        #expect(scored.map(\.line) == [1, 2, 3])
        #expect(scored.allSatisfy { $0.heuristic != nil && $0.verdict(.capability) != nil })
        #expect(scored == ProbeSession.scoredAnswers(result.responseItems, judged: result.judged))
        #expect(result.content?.count == 2)
        #expect(result.failures == 0)
    }

    @Test func furtherSamplesAreTalliedAndOnlyTheFirstIsReported() async throws {
        let log = EventLog()
        let answers = Mutex(0)
        let settings = ProbeSessionSettings(probeSet: Self.set, samples: 3)
        let result = try await ProbeSession(model: Self.fakeModel(), modelName: "m", settings: settings)
            .run(onResult: { _ in answers.withLock { $0 += 1 } }, onEvent: { log.record($0) })
        #expect(log.all == ["answered", "sampled", "answersReady"])
        #expect(answers.withLock { $0 } == 9)
        #expect(result.report.total == 3)
        #expect(result.samples?.count == 3)
        #expect(result.samples?.probes.first { $0.id == "sum" }?.passed == 3)
    }

    @Test func probesThatCannotBeAskedAreFailures() async throws {
        let failing = ScriptedModel(failAfter: 0)
        let result = try await ProbeSession(model: failing, modelName: "m", settings: ProbeSessionSettings(probeSet: Self.set, samples: 2))
            .run()
        #expect(result.failedProbes.count == 6, "both samples of every probe")
        #expect(result.failures == 6)
    }

    @Test func anErrorFromTheCallerEndsTheRun() async throws {
        struct Stop: Error {}
        let settings = ProbeSessionSettings(probeSet: Self.set, scoresAnswers: true)
        let judge = Self.fakeJudge()
        await #expect(throws: Stop.self) {
            _ = try await ProbeSession(model: Self.fakeModel(), modelName: "m", judge: judge, settings: settings).run(onEvent: { event in
                if case .answersReady = event { throw Stop() }
            })
        }
    }

    @Test func cancellingTheTaskStopsTheRun() async throws {
        let model = Self.fakeModel(delay: .seconds(30))
        let task = Task {
            try await ProbeSession(model: model, modelName: "m", settings: ProbeSessionSettings(probeSet: Self.set)).run()
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
