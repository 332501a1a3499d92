import Foundation
import Inference
import Synchronization

/// An upstream outage as a worker's concurrent generations see it together: each upstream failure pushes back the
/// moment the next generation may start (exponential backoff with jitter, from ``ExpansionSettings/outage``), an
/// answer ends the outage, and an outage longer than the policy's total budget ends the run.
///
/// Why shared: every generation in flight fails at once when the upstream goes down; backing each off on its own
/// would still send one request per slot per delay, and the delay would not grow with the outage.
final class UpstreamOutage: Sendable {
    private struct State {
        /// Failures since the last answer.
        var failures = 0
        /// When the first of them happened.
        var since: ContinuousClock.Instant?
        /// No generation starts before this.
        var resumeAt: ContinuousClock.Instant?
    }

    private let policy: RetryPolicy
    private let state = Mutex(State())

    init(policy: RetryPolicy) { self.policy = policy }

    /// Waits until the backoff of the current outage, if any, has passed.
    func wait() async throws {
        guard let resumeAt = state.withLock({ $0.resumeAt }), resumeAt > .now else { return }
        try await Task.sleep(until: resumeAt, clock: .continuous)
    }

    /// An answer came back: the outage, if any, is over.
    func recovered() {
        state.withLock { $0 = State() }
    }

    /// Records an upstream failure; returns the delay before the next try, or nil when the outage has lasted
    /// longer than the policy's total budget (give up).
    func failed() -> Duration? {
        let now = ContinuousClock.now
        return state.withLock { state in
            let since = state.since ?? now
            state.since = since
            guard now - since < policy.totalBudget else { return nil }
            // Generations that fail together (they were in flight when the upstream went down) are one failure:
            // the delay grows with the outage, not with the concurrency.
            if let resumeAt = state.resumeAt, resumeAt > now { return resumeAt - now }
            state.failures += 1
            var generator = SystemRandomNumberGenerator()
            let delay = policy.delay(afterAttempt: state.failures, using: &generator)
            state.resumeAt = now + delay
            return delay
        }
    }

    /// How long the current outage has lasted.
    var duration: Duration {
        state.withLock { $0.since.map { .now - $0 } ?? .zero }
    }
}
