import Foundation
import Synchronization

/// Counts finished items of a command that reports one item at a time (probes, checkpoints…) and shows each
/// step through the shared ``ProgressDisplay``: items/s, ETA and failures on a terminal, plain lines otherwise.
final class ProgressTracker: Sendable {
    private let display: ProgressDisplay
    private let unit: String
    private let started = ContinuousClock.now
    private let counts = Mutex((done: 0, failed: 0, shown: ContinuousClock.Instant?.none))
    private let everyItem: Bool

    /// With `everyItem` false, plain output (not a terminal) is one line per ``ProgressDisplay/interval`` and the
    /// last item, for commands with many small items (tensors).
    init(total: Int?, unit: String, everyItem: Bool = true) {
        display = ProgressDisplay(total: total)
        self.unit = unit
        self.everyItem = everyItem
    }

    /// Records one finished item and shows the line; `note` names it (e.g. `probe-id: pass`).
    func record(failed: Bool, note: String) {
        let now = ContinuousClock.now
        let (done, failures, show) = counts.withLock { counts in
            counts.done += 1
            if failed { counts.failed += 1 }
            let last = display.total.map { counts.done >= $0 } ?? false
            let due = counts.shown.map { now - $0 >= display.interval } ?? true
            let show = everyItem || display.isTerminal || last || due
            if show { counts.shown = now }
            return (counts.done, counts.failed, show)
        }
        guard show else { return }
        display.show(done: done, failed: failures, elapsedSeconds: (now - started) / .seconds(1), note: note, unit: unit)
    }
}

extension ProgressTracker {
    /// A conversion's per-tensor progress callback `(done, total, name)`: the tracker starts with the first report,
    /// which brings the total.
    static func perTensor() -> (_ done: Int, _ total: Int, _ name: String) -> Void {
        let tracker = Mutex<ProgressTracker?>(nil)
        return { _, total, name in
            tracker.withLock { current in
                let tracker = current ?? ProgressTracker(total: total, unit: "tensors", everyItem: false)
                current = tracker
                return tracker
            }.record(failed: false, note: name)
        }
    }
}
