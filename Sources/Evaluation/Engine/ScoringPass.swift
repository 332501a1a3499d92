import Foundation

/// One run's bookkeeping between the items' plans and the output: the reorder buffer, the journal, the counts and the
/// progress reports. The engine's task group feeds it; it does no judging itself.
struct ScoringPass {
    /// A finished item waiting for its turn in the output.
    struct Finished: Sendable {
        var result: ItemResult
        /// Whether it cost judge calls (journaled with an `fsync`).
        var judged: Bool
        /// The result's line, once encoded (for the journal), reused for the output.
        var encoded: Data? = nil
    }

    private(set) var order = ReorderBuffer<Finished>()
    private(set) var done = 0, failed = 0, resumed = 0, judgeCalls = 0
    /// Items with judge calls in flight.
    var inFlight = 0
    private let journal: ScoringJournal?
    private let encoder = ResultLineEncoder()
    private let progressInterval: Duration
    private let onProgress: (@Sendable (ScoringProgress) -> Void)?
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant

    init(journal: ScoringJournal?, progressInterval: Duration, onProgress: (@Sendable (ScoringProgress) -> Void)?) {
        self.journal = journal
        self.progressInterval = progressInterval
        self.onProgress = onProgress
        started = clock.now
        lastReport = started
    }

    /// Numbers the next item read.
    mutating func assign() -> Int { order.assign() }

    /// Takes in `plan`'s item numbered `seq` when it needs no judge; returns the judge work of one that does.
    mutating func admit(_ plan: ItemPlan, seq: Int) throws -> (ItemResult, ResponseItem, [JudgeSuite])? {
        switch plan {
        case .unreadable(let result):
            order.insert(Finished(result: result, judged: false), at: seq)
        case .resumed(let result):
            resumed += 1
            order.insert(Finished(result: result, judged: false), at: seq)
        case .inline(let result, let encoded):
            try finish(Finished(result: result, judged: false, encoded: encoded), seq: seq)
        case .judge(let result, let item, let suites):
            judgeCalls += suites.count
            inFlight += 1
            return (result, item, suites)
        }
        return nil
    }

    /// Records a finished item: journal (a judged one synced at once), then the reorder buffer.
    mutating func finish(_ finished: Finished, seq: Int) throws {
        var finished = finished
        if let journal, let id = finished.result.id {
            let encoded = try finished.encoded ?? encoder.encode(finished.result)
            try journal.append(key: id, encodedResult: encoded, sync: finished.judged)
            finished.encoded = encoded
        }
        order.insert(finished, at: seq)
    }

    /// Hands `output` every buffered result that is next in order (with its line when it was encoded already), and
    /// reports progress when it is due.
    mutating func emitReady(_ output: (ItemResult, Data?) throws -> Void) throws {
        while let finished = order.popNext() {
            try output(finished.result, finished.encoded)
            done += 1
            if finished.result.failed { failed += 1 }
        }
        if let onProgress, clock.now - lastReport >= progressInterval {
            lastReport = clock.now
            onProgress(progress(finished: false))
        }
    }

    func progress(finished: Bool) -> ScoringProgress {
        let elapsed = elapsedSeconds
        return ScoringProgress(done: done, failed: failed, read: order.assigned, resumed: resumed, inFlight: inFlight,
                               elapsedSeconds: elapsed, itemsPerSecond: elapsed > 0 ? Double(done) / elapsed : 0,
                               finished: finished)
    }

    var elapsedSeconds: Double { (clock.now - started).seconds }
}
