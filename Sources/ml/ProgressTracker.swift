import Foundation
import Synchronization

/// Counts finished items of a command that reports one item at a time (probes, checkpoints…) and shows each
/// step through the shared ``ProgressDisplay``: items/s, ETA and failures on a terminal, plain lines otherwise.
final class ProgressTracker: Sendable {
    private let display: ProgressDisplay
    private let unit: String
    private let started = ContinuousClock.now
    private let counts = Mutex((done: 0, failed: 0))

    init(total: Int?, unit: String) {
        display = ProgressDisplay(total: total)
        self.unit = unit
    }

    /// Records one finished item and shows the line; `note` names it (e.g. `probe-id: pass`).
    func record(failed: Bool, note: String) {
        let (done, failures) = counts.withLock { counts in
            counts.done += 1
            if failed { counts.failed += 1 }
            return (counts.done, counts.failed)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        display.show(done: done, failed: failures, elapsedSeconds: seconds, note: note, unit: unit)
    }
}
