import Evaluation
import Foundation
import Inference
import Locking
import Logging
import Recording
import Synchronization
import Transport

/// The checkpoint agent: finds new LoRA checkpoints, evaluates each, and records the results — in a loop, or once.
///
/// Each pass first replays the InfluxDB buffer, then discovers checkpoints and skips those already scored (from
/// the store, and InfluxDB when configured) unless `force` is set. A failed checkpoint is logged with the reason
/// and the pass goes on; it is tried again on the next pass. ``stop()`` (SIGTERM) lets the checkpoint being
/// evaluated finish and be recorded, then ends the loop.
package final class CheckpointAgent: Sendable {
    package struct Settings: Sendable {
        package var adapterBase: String
        /// Case-insensitive substring a run directory's name must contain.
        package var filter: String?
        package var families: ModelFamilyMap
        package var pollInterval: Duration
        /// Re-evaluate checkpoints that are already scored.
        package var force: Bool

        package init(adapterBase: String, filter: String? = nil, families: ModelFamilyMap,
                    pollInterval: Duration = .seconds(300), force: Bool = false) {
            self.adapterBase = adapterBase
            self.filter = filter
            self.families = families
            self.pollInterval = pollInterval
            self.force = force
        }
    }

    /// What one pass did.
    package struct PassReport: Sendable {
        package var discovered: Int = 0
        package var evaluated: [Checkpoint] = []
        package var failed: [(checkpoint: Checkpoint, error: String)] = []
        package var skipped: Int = 0
        package var stopped = false
    }

    package let transport: any RemoteTransport
    package let settings: Settings
    package let evaluator: any CheckpointEvaluating
    package let recorder: CheckpointRecorder
    package let logger: Logger
    /// Hears of each probe result once it is recorded (progress displays).
    package let onProbe: (@Sendable (Checkpoint, ProbeResult) -> Void)?
    private let stopRequested = Mutex(false)

    package init(transport: any RemoteTransport, settings: Settings, evaluator: any CheckpointEvaluating,
                recorder: CheckpointRecorder, logger: Logger = Logger(label: "swift-ml.agent"),
                onProbe: (@Sendable (Checkpoint, ProbeResult) -> Void)? = nil) {
        self.transport = transport
        self.settings = settings
        self.evaluator = evaluator
        self.recorder = recorder
        self.logger = logger
        self.onProbe = onProbe
    }

    /// Asks the agent to stop after the current checkpoint is recorded.
    package func stop() { stopRequested.withLock { $0 = true } }
    package var isStopping: Bool { stopRequested.withLock { $0 } }

    /// Checkpoints found under the adapter base, and which of them still need evaluating.
    package func plan() async throws -> (all: [Checkpoint], pending: [Checkpoint]) {
        let all = try await CheckpointDiscovery(transport: transport, families: settings.families)
            .discover(under: settings.adapterBase, filter: settings.filter)
        if settings.force { return (all, all) }
        let scored = try await recorder.scoredKeys()
        return (all, all.filter { !scored.contains(CheckpointKey(runID: $0.runID, label: $0.label)) })
    }

    /// One pass: replay buffered points, discover, evaluate and record what is new.
    package func runOnce() async throws -> PassReport {
        var report = PassReport()
        if let influx = recorder.influx {
            let replay = await influx.flushBuffer()
            if let failure = replay.failure {
                logger.warning("InfluxDB buffer not yet replayed", metadata: ["remaining": "\(replay.remaining)", "error": "\(failure)"])
            }
        }
        let (all, pending) = try await plan()
        report.discovered = all.count
        report.skipped = all.count - pending.count
        logger.info("discovered checkpoints", metadata: [
            "found": "\(all.count)", "new": "\(pending.count)", "base": "\(settings.adapterBase)",
        ])
        for checkpoint in pending {
            if isStopping {
                report.stopped = true
                break
            }
            try Task.checkCancellation()
            logger.info("evaluating", metadata: ["run_id": "\(checkpoint.runID)", "label": "\(checkpoint.label)"])
            seedAnswerLengths(for: checkpoint)
            do {
                let started = ContinuousClock.now
                let evaluation = try await evaluate(checkpoint)
                try await recorder.recordCheckpoint(evaluation, of: checkpoint)
                report.evaluated.append(checkpoint)
                logger.info("recorded", metadata: [
                    "label": "\(checkpoint.label)",
                    "seconds": "\(String(format: "%.1f", (ContinuousClock.now - started).seconds))",
                    "accuracy": "\(String(format: "%.1f", evaluation.probes.accuracy * 100))%",
                    "judge_avg": "\(evaluation.judgeAverages.map { String(format: "%.2f", $0.avg) } ?? "-")",
                ])
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                logger.error("checkpoint failed", metadata: ["label": "\(checkpoint.label)", "error": "\(error)"])
                report.failed.append((checkpoint, "\(error)"))
            }
        }
        if isStopping { report.stopped = true }
        return report
    }

    /// Gives an evaluator that has asked nothing yet the answer lengths of the run's latest recorded checkpoint, so
    /// even the first checkpoint of this process (every one, under `--one-shot` from cron) asks its probes longest
    /// first. Only an ordering hint: a store that cannot be read is logged and changes nothing else.
    private func seedAnswerLengths(for checkpoint: Checkpoint) {
        guard evaluator.answerLengths.current.isEmpty else { return }
        do {
            let previous = try recorder.store.latestProbeResults(runID: checkpoint.runID)
            evaluator.answerLengths.record(ProbeReport(results: previous.map(\.result)))
        } catch {
            logger.warning("could not read the last answers' lengths", metadata: ["error": "\(error)"])
        }
    }

    private func evaluate(_ checkpoint: Checkpoint) async throws -> CheckpointEvaluation {
        let recorder = self.recorder
        let logger = self.logger
        let onProbe = self.onProbe
        let indices = Dictionary(uniqueKeysWithValues: evaluator.probeSet.probes.enumerated().map { ($1.id, $0) })
        // With samples, every probe is answered again after the first sample: only its first answer (the one the
        // reference's points and the store's row describe) is recorded as it arrives.
        let recorded = Locked<Set<String>>([])
        return try await evaluator.evaluate(checkpoint, via: transport) { result in
            guard recorded.withLock({ $0.insert(result.id).inserted }) else { return }
            do {
                try await recorder.recordProbe(result, of: checkpoint, index: indices[result.id] ?? 0)
            } catch {
                logger.warning("could not record a probe result", metadata: ["probe": "\(result.id)", "error": "\(error)"])
            }
            onProbe?(checkpoint, result)
        }
    }

    /// Passes until stopped (or cancelled), sleeping `pollInterval` between them. Returns the number of failures.
    package func run() async throws -> Int {
        var failures = 0
        while !isStopping {
            do {
                let report = try await runOnce()
                failures += report.failed.count
            } catch let error where !(error is CancellationError) {
                failures += 1
                logger.error("pass failed", metadata: ["error": "\(error)"])
            }
            let wake = ContinuousClock.now + settings.pollInterval
            while !isStopping, ContinuousClock.now < wake {
                try await Task.sleep(for: min(.seconds(1), wake - ContinuousClock.now))
            }
        }
        return failures
    }
}
