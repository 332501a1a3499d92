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
