import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One long-lived thread, with no signals blocked, that starts every child process of the program.
///
/// - A child inherits the signal mask of the thread that spawns it, and Foundation's `Process` does not reset it.
///   Dispatch's worker threads, which run Swift concurrency, block nearly every signal: a child spawned there
///   ignores SIGTERM (it could not be stopped gracefully or cancelled) and a shell in it never sees SIGCHLD
///   (`cmd & wait` hangs). Children spawned here get the default, empty mask.
/// - On Linux a child started with a parent-death signal (`PR_SET_PDEATHSIG`, e.g. via `setpriv --pdeathsig`)
///   gets it when the *thread* that spawned it exits. Worker threads come and go; this one lives as long as the
///   process, so the signal fires exactly when the program dies — even by SIGKILL.
public final class SpawnThread: @unchecked Sendable {
    public static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "swift-ml.spawn"
        thread.start()
    }

    /// Runs `job` on the spawn thread, after the jobs submitted before it.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the spawn thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    private func loop() {
        #if canImport(Glibc) || canImport(Darwin)
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
