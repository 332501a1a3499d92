import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One long-lived thread that spawns every managed child process.
///
/// On Linux a child started with a parent-death signal (`PR_SET_PDEATHSIG`, here via `setpriv --pdeathsig`)
/// gets that signal when the *thread* that spawned it exits, not only the process. Swift's and Dispatch's
/// worker threads come and go, so spawning from one of them could kill a healthy server. This thread lives as
/// long as the process, so the signal fires exactly when our process dies — even by SIGKILL.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "swift-ml.spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        // Children inherit the spawning thread's signal mask; a server with SIGTERM blocked could not be
        // stopped gracefully. This thread blocks nothing.
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
