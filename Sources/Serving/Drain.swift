import Inference
import Logging
import Locking

/// The generations in flight, for a graceful shutdown: when it begins, each may run for the drain timeout; when
/// that has passed, every one still running is cancelled and ended with an error its client can see (a 503 for a
/// whole reply, an error event then `[DONE]` for a stream) rather than a reply cut off mid-body.
final class Drain: Sendable {
    private struct State {
        var nextID = 0
        var cancels: [Int: @Sendable () -> Void] = [:]
        var draining = false
        var expired = false
    }

    private let state = Locked(State())

    /// Whether the drain timeout has passed: generations cancelled from now on were cut short by the shutdown.
    var expired: Bool { state.withLock { $0.expired } }

    /// Registers a generation's `cancel`; once the drain has expired it is called at once. Returns the
    /// registration to pass to ``unregister(_:)``.
    func register(_ cancel: @escaping @Sendable () -> Void) -> Int {
        let (id, cancelNow) = state.withLock { state -> (Int, Bool) in
            state.nextID += 1
            if !state.expired { state.cancels[state.nextID] = cancel }
            return (state.nextID, state.expired)
        }
        if cancelNow { cancel() }
        return id
    }

    func unregister(_ id: Int) { state.withLock { _ = $0.cancels.removeValue(forKey: id) } }

    /// Starts draining (once): after `timeout`, cancels every generation still registered.
    func begin(timeout: Duration, logger: Logger) {
        let (first, count) = state.withLock { state -> (Bool, Int) in
            defer { state.draining = true }
            return (!state.draining, state.cancels.count)
        }
        guard first else { return }
        logger.info("shutting down: \(count) request(s) in flight, drain timeout \(timeout)")
        Task {
            try? await Task.sleep(for: timeout)
            self.expire(logger: logger)
        }
    }

    /// Cancels every generation still registered now.
    func expire(logger: Logger) {
        let cancels = state.withLock { state -> [@Sendable () -> Void] in
            state.expired = true
            defer { state.cancels = [:] }
            return Array(state.cancels.values)
        }
        if !cancels.isEmpty {
            logger.warning("drain timeout passed: ending \(cancels.count) request(s) still in flight with a shutdown error")
        }
        for cancel in cancels { cancel() }
    }
}
