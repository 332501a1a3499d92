import Foundation
import Recording
import Synchronization

/// Optional InfluxDB progress of an expansion: every `interval` (and once at the end) one `data_expand` point
/// tagged with the worker and model, with the counts so far (`answered`, `failed`, `duplicates` as integers) and
/// `answers_per_second` since the start; with `reference`, the reference's dashboard measurements beside it
/// (``ExpansionReferencePoints``: its progress points each time, the golden set's at the end). A failed write is
/// reported once through `warn` and never stops the run: the workspace, not InfluxDB, is the record of what was
/// answered.
package final class ExpansionProgressPoints: Sendable {
    private let configuration: InfluxConfiguration
    private let workerID: String
    private let model: String
    private let interval: Duration
    private let warn: @Sendable (String) -> Void
    private let reference: ExpansionReferencePoints?
    private let started = ContinuousClock.now
    private let state = Mutex((latest: ExpansionProgress?.none, written: Int?.none, warned: false))

    package init(configuration: InfluxConfiguration, workerID: String, model: String, interval: Duration = .seconds(5),
                reference: ExpansionReferencePoints? = nil, warn: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.reference = reference
        self.workerID = workerID
        self.model = model
        self.interval = interval
        self.warn = warn
    }

    /// Records the latest progress (cheap: called for every answer).
    package func record(_ progress: ExpansionProgress) {
        state.withLock { $0.latest = progress }
    }

    /// Writes a point every `interval` until cancelled, then a last one.
    package func run() async {
        _ = try? await withInfluxClient(configuration: configuration) { client in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if !Task.isCancelled { await write(client) }
            }
            // The last points must not be cancelled with the run: a task of its own, awaited. A periodic write cut
            // short by the cancellation can fail the next request on the same client, so the last one is tried again.
            await Task {
                for attempt in 1...3 where await !self.write(client, last: attempt == 3) {
                    try? await Task.sleep(for: .milliseconds(100 * attempt))
                }
                await self.writeGoldenSet(client)
            }.value
        }
    }

    /// The point for `progress` after `elapsedSeconds`.
    package func point(_ progress: ExpansionProgress, elapsedSeconds: Double) -> InfluxPoint {
        InfluxPoint(
            measurement: "data_expand", tags: ["worker": workerID, "model": model], tagOrder: ["worker", "model"],
            fields: [
                InfluxField("answered", .integer(Int64(progress.answered))),
                InfluxField("failed", .integer(Int64(progress.failed))),
                InfluxField("duplicates", .integer(Int64(progress.duplicates))),
                InfluxField("answers_per_second", .float(elapsedSeconds > 0 ? Double(progress.answered) / elapsedSeconds : 0)),
            ],
            timestamp: Int64(Date().timeIntervalSince1970 * 1e9))
    }

    /// Writes the latest progress if it is not written yet; false when the write failed. A failure is reported
    /// unless it is a periodic write cut short by the run's end, or not `last` of the final attempts.
    @discardableResult
    private func write(_ client: InfluxClient, last: Bool? = nil) async -> Bool {
        let pending = state.withLock { state -> ExpansionProgress? in
            guard let latest = state.latest else { return nil }
            let total = latest.answered + latest.failed + latest.duplicates
            return state.written == total ? nil : latest
        }
        guard let progress = pending else { return true }
        do {
            var points = [point(progress, elapsedSeconds: (ContinuousClock.now - started) / .seconds(1))]
            let referencePoints = try await reference?.progressPoints(completed: progress.answered)
            points += referencePoints?.points ?? []
            try await client.write(points)
            if let cursor = referencePoints?.cursor { reference?.advance(to: cursor) }
            state.withLock { $0.written = progress.answered + progress.failed + progress.duplicates }
            return true
        } catch {
            if last != false { failed(error, final: last == true) }
            return false
        }
    }

    private func writeGoldenSet(_ client: InfluxClient) async {
        guard let reference else { return }
        do {
            try await client.write(try await reference.goldenSetPoints())
        } catch {
            failed(error)
        }
    }

    private func failed(_ error: any Error, final: Bool = false) {
        // A periodic write cut short by the end of the run is no failure (seen under load in CI): the last point,
        // written by a task that is not cancelled, follows.
        if !final, Task.isCancelled || error is CancellationError { return }
        let first = state.withLock { state -> Bool in
            defer { state.warned = true }
            return !state.warned
        }
        if first { warn("InfluxDB progress points not written (the run goes on): \(error)") }
    }
}

