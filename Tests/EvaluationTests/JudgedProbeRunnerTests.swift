import Foundation
import Inference
import InferenceTesting
import Testing
@testable import Evaluation
import Synchronization

/// Probes and their judge calls share one model's slots: never more in flight than the slots, every answer judged,
/// and the verdicts are those the scoring engine gives for the same answers.
@Suite struct JudgedProbeRunnerTests {
    /// One fake model answering both (as one server does): a probe's prompt gets its answer (the judge's grading of
    /// "code-complexity" is a reply without JSON, so one verdict is unscored), anything else a capability verdict.
    static func model() -> ScriptedModel {
        ScriptedModel(delay: .milliseconds(3), capacity: 64, respond: { request in
            if let probe = ProbeSet.builtIn.probes.first(where: { request.text == $0.prompt }) {
                return [handWrittenAnswers[probe.id]!.good]
            }
            if request.text.contains(ProbeSet.builtIn.probe("code-complexity")!.prompt) { return ["no", " verdict"] }
            return [#"{"reasoning": 8, "correctness": 9, "clarity": 7, "notes": "fine"}"#]
        })
    }

    @Test func probesAndJudgeCallsShareTheSlotsAndVerdictsMatchTheEngine() async throws {
        let model = Self.model()
        let judge = Judge(model: model, maxReasks: 0)
        let seen = Mutex<[String]>([])
        let outcome = try await JudgedProbeRunner(
            probes: ProbeRunner(model: model, options: GenerateOptions(temperature: 0), concurrency: 3), judge: judge, slots: 3
        ).run(.builtIn, model: "m") { result in seen.withLock { $0.append(result.id) } }
        #expect(model.maxActiveCount <= 3, "probe answers and judge calls together stay within the slots")
        #expect(model.maxActiveCount == 3)
        #expect(model.requests.count == 46)
        #expect(seen.withLock { $0 }.sorted() == ProbeSet.builtIn.probes.map(\.id).sorted())
        #expect(outcome.report.results.map(\.id) == ProbeSet.builtIn.probes.map(\.id))
        #expect(outcome.report.correct == 23)
        #expect(outcome.judged.count == 23)

        // The same answers through the engine, as the agent judged them before: the same verdicts.
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.capability]),
                                   judge: Judge(model: Self.model(), maxReasks: 0))
        let (results, _) = try await engine.score(outcome.report.responseItems(model: "m", set: .builtIn))
        for result in results {
            #expect(outcome.judged[result.id!] == result.verdict(.capability), "\(result.id!)")
        }
        #expect(outcome.judged["code-complexity"]?.isScored == false)
        #expect(outcome.judged["word-reverse"]?.isScored == true)
    }

    @Test func phasedAsksEveryProbeBeforeTheFirstJudgeCallWithTheSameResults() async throws {
        let model = Self.model()
        let outcome = try await JudgedProbeRunner(
            probes: ProbeRunner(model: model, options: GenerateOptions(temperature: 0), concurrency: 3),
            judge: Judge(model: model, maxReasks: 0), slots: 3, phased: true
        ).run(.builtIn, model: "m")
        let prompts = Set(ProbeSet.builtIn.probes.map(\.prompt))
        let order = model.requests.map { prompts.contains($0.text) }
        #expect(order.count == 46)
        #expect(order == Array(repeating: true, count: 23) + Array(repeating: false, count: 23),
                "every probe answer is asked before the first judge call")
        #expect(model.maxActiveCount == 3, "each phase fills the slots")

        let interleaved = try await JudgedProbeRunner(
            probes: ProbeRunner(model: Self.model(), options: GenerateOptions(temperature: 0), concurrency: 3),
            judge: Judge(model: Self.model(), maxReasks: 0), slots: 3
        ).run(.builtIn, model: "m")
        #expect(outcome.report == interleaved.report)
        #expect(outcome.judged == interleaved.judged)
    }

    /// With the last run's answer lengths, the longest are asked first (unknown ones before all); the report and
    /// the verdicts are those of the run in probe-set order.
    @Test func longestExpectedAnswersAreAskedFirst() async throws {
        let probes = ProbeSet.builtIn.probes
        var lengths: [String: Int] = [:]
        for (index, probe) in probes.enumerated() { lengths[probe.id] = index * 7 % probes.count }
        lengths[probes[5].id] = nil
        let model = Self.model()
        let outcome = try await JudgedProbeRunner(
            probes: ProbeRunner(model: model, options: GenerateOptions(temperature: 0), concurrency: 1),
            judge: Judge(model: model, maxReasks: 0), slots: 1, phased: true, expectedAnswerBytes: lengths
        ).run(.builtIn, model: "m")
        let asked = model.requests.prefix(probes.count).map(\.text)
        let expected = [probes[5]] + probes.filter { lengths[$0.id] != nil }.sorted { lengths[$0.id]! > lengths[$1.id]! }
        #expect(asked == expected.map(\.prompt))
        // The judge calls, once every probe is answered: the longest answer first.
        let judgedOrder = model.requests.dropFirst(probes.count).map { request in
            probes.first { request.text.contains("QUESTION:\n\($0.prompt)\n") }!.id
        }
        let answered = Dictionary(uniqueKeysWithValues: outcome.report.results.map { ($0.id, $0.response.utf8.count) })
        let judgedLengths = judgedOrder.map { answered[$0]! }
        #expect(judgedOrder.count == probes.count && Set(judgedLengths).count > 1)
        #expect(judgedLengths == judgedLengths.sorted(by: >), "\(judgedLengths)")

        let inSetOrder = try await JudgedProbeRunner(
            probes: ProbeRunner(model: Self.model(), options: GenerateOptions(temperature: 0), concurrency: 1),
            judge: Judge(model: Self.model(), maxReasks: 0), slots: 1, phased: true
        ).run(.builtIn, model: "m")
        #expect(outcome.report == inSetOrder.report)
        #expect(outcome.judged == inSetOrder.judged)

        // What the next run is given: every answered probe's length, a failed one left out.
        let history = ProbeAnswerLengths()
        var report = outcome.report
        report.results[0].error = "backend down"
        history.record(report)
        #expect(history.current.count == probes.count - 1 && history.current[probes[0].id] == nil)
        #expect(history.current[probes[1].id] == report.results[1].response.utf8.count)
    }

    @Test func aFailedAnswerIsReportedAndNotJudged() async throws {
        let model = ScriptedModel(failAfter: 0, capacity: 8)
        let outcome = try await JudgedProbeRunner(
            probes: ProbeRunner(model: model, concurrency: 2), judge: Judge(model: model, maxReasks: 0), slots: 2
        ).run(.builtIn, model: "m")
        #expect(outcome.report.results.allSatisfy { $0.error != nil })
        #expect(outcome.judged.isEmpty)
        #expect(model.requests.count == 23, "no judge call for an answer that failed")
    }
}
