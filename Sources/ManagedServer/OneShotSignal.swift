import Dispatch
import Inference
import Locking

/// A value that arrives once (an exit status, "output drained") and is awaited by any number of tasks.
final class OneShotSignal<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
    }
    private let state = Locked(State())

    init() {}

    /// The value, once it has arrived.
    var value: Value? { state.withLock { $0.value } }

    /// Delivers the value to every waiter; later calls are ignored.
    func fire(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits for the value; `nil` when `timeout` passes first, or when `cancellable` and the task is cancelled.
    func wait(timeout: Duration? = nil, cancellable: Bool = true) async -> Value? {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let body = {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready = self.state.withLock { state -> Value?? in
                    if let value = state.value { return .some(value) }
                    if cancellable && Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let ready {
                    continuation.resume(returning: ready)
                } else if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds) { self.abandon(id) }
                }
            }
        }
        guard cancellable else { return await body() }
        return await withTaskCancellationHandler(operation: body, onCancel: { self.abandon(id) })
    }

    /// Waits for the value, however long it takes, ignoring cancellation.
    func waitUninterruptibly() async -> Value {
        // Without a timeout or cancellation the only way out is `fire`.
        await wait(timeout: nil, cancellable: false)!
    }

    private func abandon(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume(returning: nil)
    }
}
