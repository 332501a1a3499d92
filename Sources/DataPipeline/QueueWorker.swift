import Foundation
import Inference
import MLErrors
import Synchronization
import Workspace

/// Progress of a queue worker, reported after each try of a prompt. The counts are of prompts: `failed` counts
/// the prompts that used their last attempt, so `answered + failed` never exceeds the prompts worked.
package struct ExpansionProgress: Sendable {
    package var answered: Int
    package var failed: Int
    package var duplicates: Int
    package var promptID: String
    package var error: String?
    /// Whether the prompt is done with: answered, or failed its last attempt. False for a failure that will be
    /// tried again (the prompt's own, with attempts left, or an upstream outage, which spends none).
    package var finished: Bool

    package init(answered: Int, failed: Int, duplicates: Int, promptID: String, error: String? = nil,
                finished: Bool = true) {
        self.answered = answered
        self.failed = failed
        self.duplicates = duplicates
        self.promptID = promptID
        self.error = error
        self.finished = finished
    }
}

/// The outcome of a worker's run.
package struct ExpansionReport: Sendable, Codable {
    package var answered = 0
    /// Prompts that used their last attempt in this run (each counted once).
    package var failed = 0
    /// Answers dropped because another worker had answered the prompt first (after this worker's lease expired).
    package var duplicates = 0
    package var claims = 0
}

/// Answers pending prompts from a workspace: claims a batch under a lease, generates with bounded concurrency,
/// stores each answer as it completes, heartbeats so the lease outlives slow generations, and gives back what it
/// did not answer when stopped. `ml data expand` and `ml worker` are both this loop; a worker killed outright
/// loses nothing — its lease expires and another takes the prompts — and the answers' primary key makes a
/// late second answer a no-op.
///
/// Failures are told apart: the prompt's own (a 4xx, a reply with no completion) spend one of its
/// ``ExpansionSettings/maxAttempts``; an upstream outage (``InferenceError/isUpstreamFailure(_:)``) spends none:
/// the prompt is tried again under the same lease once the shared backoff (``UpstreamOutage``) allows, and an
/// outage longer than the settings allow ends the run with ``DataPipelineErrorCode/upstreamUnavailable``.
package struct QueueWorker: Sendable {
    package var store: any WorkspaceStore
    package var model: any TextModel
    /// The model's name and where it runs (endpoint URLs or model file), recorded with each answer.
    package var modelName: String
    package var modelSource: String
    package var workerID: String
    package var host: String
    package var settings: ExpansionSettings
    package var onProgress: (@Sendable (ExpansionProgress) -> Void)?

    package init(store: any WorkspaceStore, model: any TextModel, modelName: String, modelSource: String,
                workerID: String = QueueWorker.defaultID(), host: String = ProcessInfo.processInfo.hostName,
                settings: ExpansionSettings, onProgress: (@Sendable (ExpansionProgress) -> Void)? = nil) {
        self.store = store
        self.model = model
        self.modelName = modelName
        // Recorded with every answer: never a URL's user or password.
        self.modelSource = URLRedaction.printable(modelSource)
        self.workerID = workerID
        self.host = host
        self.settings = settings
        self.onProgress = onProgress
    }

    /// `HOST-PID-RANDOM`: unique per run, readable in `ml data status`.
    package static func defaultID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(4).lowercased())"
    }

    /// Works the queue until it is empty (or `limit` answers, or cancellation), then releases any remaining
    /// leases and marks the worker stopped.
    package func run() async throws -> ExpansionReport {
        let now = Date().timeIntervalSince1970
        try await store.register(worker: WorkerRecord(
            id: workerID, host: host, model: modelName, startedAt: now, lastHeartbeat: now))
        let heartbeat = Task { [store, workerID, settings] in
            while !Task.isCancelled {
                try? await Task.sleep(for: settings.lease / 3)
                if Task.isCancelled { break }
                try? await store.heartbeat(worker: workerID, lease: settings.lease)
            }
        }
        defer { heartbeat.cancel() }
        let counts = Counts()
        let outage = UpstreamOutage(policy: settings.outage)
        do {
            try await loop(counts, outage)
        } catch {
            heartbeat.cancel()
            try? await Task { [store, workerID] in try await store.release(worker: workerID) }.value
            throw error
        }
        heartbeat.cancel()
        // A cancelled run still gives back its prompts: the release must not be cancelled with it.
        try await Task { [store, workerID] in try await store.release(worker: workerID) }.value
        return counts.report
    }

    final class Counts: Sendable {
        private let state = Mutex(ExpansionReport())
        var report: ExpansionReport { state.withLock { $0 } }
        func update(_ body: (inout ExpansionReport) -> Void) -> ExpansionReport {
            state.withLock { body(&$0); return $0 }
        }
    }

    private func loop(_ counts: Counts, _ outage: UpstreamOutage) async throws {
        while !Task.isCancelled {
            let done = counts.report.answered + counts.report.failed
            let remaining = settings.limit.map { $0 - done }
            if let remaining, remaining <= 0 { return }
            let batch = try await store.claim(
                worker: workerID, limit: min(settings.batch, remaining ?? .max), lease: settings.lease,
                maxAttempts: settings.maxAttempts)
            if batch.isEmpty {
                // Nothing free: finished unless prompts are still leased by others (they come back when a lease
                // expires) or the queue is followed.
                let claimable = try await store.remaining(maxAttempts: settings.maxAttempts)
                if claimable == 0 && !settings.follow { return }
                try await Task.sleep(for: settings.pollInterval)
                continue
            }
            _ = counts.update { $0.claims += 1 }
            try await answer(batch, counts, outage)
        }
    }

    /// Answers a batch with at most `concurrency` generations in flight; each answer is stored as it completes.
    /// On cancellation the unstarted rest stays leased until ``run()`` releases it.
    private func answer(_ batch: [ClaimedPrompt], _ counts: Counts, _ outage: UpstreamOutage) async throws {
        let worker = self
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add(_ group: inout ThrowingTaskGroup<Void, any Error>) {
                let prompt = batch[next]
                next += 1
                group.addTask { try await worker.answer(prompt, counts, outage) }
            }
            while next < batch.count && next < settings.concurrency { add(&group) }
            while try await group.next() != nil {
                if next < batch.count && !Task.isCancelled { add(&group) }
            }
        }
    }

    /// Answers one prompt, trying it again in place through an upstream outage.
    private func answer(_ prompt: ClaimedPrompt, _ counts: Counts, _ outage: UpstreamOutage) async throws {
        while true {
            try await outage.wait()
            let started = Date()
            let clock = ContinuousClock.now
            let generation = model.chat([.user(prompt.prompt)], options: settings.options)
            var text = ""
            var failure: (any Error)?
            do {
                for try await token in generation { text += token.text }
            } catch {
                failure = error
            }
            let summary = await generation.finished()
            if Task.isCancelled { return }
            guard let failure = failure ?? summary.error else {
                outage.recovered()
                try await save(prompt, text: text, summary: summary, started: started, elapsed: ContinuousClock.now - clock, counts)
                return
            }
            if InferenceError.isUpstreamFailure(failure) {
                guard let delay = outage.failed() else {
                    throw DataPipelineError(
                        .upstreamUnavailable,
                        "the model's server has failed for \(Self.describe(outage.duration)) with no answer between "
                            + "(last: \(failure)); the prompts are left pending, their attempts unspent: rerun when it is back",
                        underlying: failure)
                }
                let report = counts.report
                onProgress?(ExpansionProgress(
                    answered: report.answered, failed: report.failed, duplicates: report.duplicates, promptID: prompt.id,
                    error: "upstream failure, trying again in \(Self.describe(delay)): \(failure)", finished: false))
                continue
            }
            // The prompt's own failure: it spent the attempt its claim counted; the lease is freed for another try.
            try await store.recordFailure(promptID: prompt.id, worker: workerID, error: "\(failure)")
            let exhausted = prompt.attempts >= settings.maxAttempts
            let report = exhausted ? counts.update { $0.failed += 1 } : counts.report
            onProgress?(ExpansionProgress(
                answered: report.answered, failed: report.failed, duplicates: report.duplicates,
                promptID: prompt.id, error: "\(failure)", finished: exhausted))
            return
        }
    }

    private func save(_ prompt: ClaimedPrompt, text: String, summary: GenerationSummary, started: Date,
                      elapsed: Duration, _ counts: Counts) async throws {
        let result = try await store.saveAnswers([AnswerRecord(
            promptID: prompt.id, response: text, model: modelName, modelSource: modelSource,
            settings: settings.recordedSettings, workerID: workerID, finishReason: "\(summary.finishReason)",
            promptTokens: summary.metrics.promptTokens, completionTokens: summary.metrics.generatedTokens,
            startedAt: started.timeIntervalSince1970, durationSeconds: elapsed / .seconds(1))])
        let report = counts.update {
            $0.answered += result.stored
            $0.duplicates += result.duplicates
        }
        onProgress?(ExpansionProgress(
            answered: report.answered, failed: report.failed, duplicates: report.duplicates, promptID: prompt.id,
            error: nil))
    }

    /// `1.2 s`, `3 min 5 s`.
    static func describe(_ duration: Duration) -> String {
        let seconds = duration / .seconds(1)
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
