import Inference
import Synchronization

/// Counts generations in flight and refuses more than the limit (the caller answers 429).
final class InFlightLimiter: Sendable {
    private let state = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var current: Int { state.withLock { $0 } }

    /// Takes a slot, or returns `false` when all are taken.
    func acquire() -> Bool {
        state.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() { state.withLock { $0 -= 1 } }
}
