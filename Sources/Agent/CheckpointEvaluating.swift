import Evaluation
import Transport

/// What the agent needs of an evaluator: ``CheckpointEvaluator`` in production, a fake in the agent's unit tests.
package protocol CheckpointEvaluating: Sendable {
    /// The capability probes asked of every checkpoint (their order gives each probe's timestamp offset).
    var probeSet: ProbeSet { get }

    /// The last answers' lengths, by probe: the next checkpoint asks its probes longest first.
    var answerLengths: ProbeAnswerLengths { get }

    /// Evaluates `checkpoint`, copied through `transport`; `onProbe` sees each probe result as it completes.
    func evaluate(
        _ checkpoint: Checkpoint,
        via transport: any RemoteTransport,
        onProbe: @escaping @Sendable (ProbeResult) async -> Void
    ) async throws -> CheckpointEvaluation
}

extension CheckpointEvaluator: CheckpointEvaluating {}
