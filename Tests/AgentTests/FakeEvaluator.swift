import Agent
import Evaluation
import Foundation
import JSONValues
import Synchronization
import Transport

/// A fake evaluator for the agent's loop tests: no copy, no llama-server. It answers the first three built-in probes
/// (reporting each through `onProbe`), fails the checkpoints named in `failing`, and runs `during` while
/// "evaluating" (the tests ask the agent to stop from there).
final class FakeEvaluator: CheckpointEvaluating, Sendable {
    let probeSet = ProbeSet(probes: Array(ProbeSet.builtIn.probes.prefix(3)))
    let answerLengths = ProbeAnswerLengths()
    private let evaluatedLabels = Mutex<[String]>([])
    private let lengthsSeen = Mutex<[String: [String: Int]]>([:])
    private let failing: Set<String>
    private let during: @Sendable (Checkpoint) -> Void
    /// Also answer two content probes: one scored on every dimension, one unusable.
    private let content: Bool
    /// Answers per probe: after the first sample (probes 0 and 2 pass), every further one fails.
    private let samples: Int

    init(failing: Set<String> = [], content: Bool = false, samples: Int = 1, during: @escaping @Sendable (Checkpoint) -> Void = { _ in }) {
        self.failing = failing
        self.content = content
        self.samples = samples
        self.during = during
    }

    var evaluated: [String] { evaluatedLabels.withLock { $0 } }
    /// ``answerLengths`` as each checkpoint's evaluation began, by label.
    var lengthsAtStart: [String: [String: Int]] { lengthsSeen.withLock { $0 } }

    func evaluate(_ checkpoint: Checkpoint, via transport: any RemoteTransport,
                  onProbe: @escaping @Sendable (ProbeResult) async -> Void) async throws -> CheckpointEvaluation {
        evaluatedLabels.withLock { $0.append(checkpoint.label) }
        let lengths = answerLengths.current
        lengthsSeen.withLock { $0[checkpoint.label] = lengths }
        during(checkpoint)
        if failing.contains(checkpoint.label) {
            throw AgentError(.server, "fake: llama-server did not start for \(checkpoint.label)")
        }
        var results: [ProbeResult] = []
        for (index, probe) in probeSet.probes.enumerated() {
            let result = ProbeResult(id: probe.id, category: probe.category, passed: index != 1, response: "answer \(index)")
            await onProbe(result)
            results.append(result)
        }
        var reports = [ProbeReport(results: results)]
        for sample in 1..<max(1, samples) {
            var again: [ProbeResult] = []
            for probe in probeSet.probes {
                let result = ProbeResult(id: probe.id, category: probe.category, passed: false, response: "sample \(sample)")
                await onProbe(result)
                again.append(result)
            }
            reports.append(ProbeReport(results: again))
        }
        var judged: [String: JudgeVerdict] = [:]
        for (index, result) in results.enumerated() {
            judged[result.id] = index == 2
                ? .unscored(reason: "no JSON object in the reply", raw: "garbage")
                : .scored(["reasoning": .number(6), "correctness": .number(8), "clarity": .number(7), "notes": .string("ok")])
        }
        let contentResults = content ? [
            ContentProbeResult(id: "taiwan", response: "r", verdict: .scored(Dictionary(uniqueKeysWithValues:
                JudgeSuite.content.numericKeys.enumerated().map { ($1, JSONValue.number(Double($0 + 4))) }))),
            ContentProbeResult(id: "tiananmen", response: "r", verdict: .unscored(reason: "no JSON object in the reply", raw: "x")),
        ] : nil
        return CheckpointEvaluation(probes: ProbeReport(results: results), judged: judged, content: contentResults,
                                    samples: samples > 1 ? ProbeSamples(reports: reports) : nil)
    }
}
