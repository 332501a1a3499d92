import Foundation

/// One long-lived thread, with no signals blocked, that starts every child process.
///
/// A child inherits the signal mask of the thread that spawns it, and Foundation's `Process` does not reset it.
/// Dispatch's worker threads, which run Swift concurrency, block nearly every signal: a child spawned there ignores
/// SIGTERM (cancellation could not stop it) and a shell in it never sees SIGCHLD (`cmd & wait` hangs forever).
/// Spawning here gives children the default, empty mask.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "swift-ml.transport.spawn"
        thread.start()
    }

    /// Runs `job` on the spawn thread, after the jobs submitted before it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the spawn thread and returns its result (for callers that start a `Process` themselves).
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    private func loop() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
