import Dispatch
import Foundation

/// Runs `body` in a task that SIGINT or SIGTERM cancel, so long commands stop promptly and clean up (journals stay
/// consistent, managed servers are stopped). A second signal exits at once.
enum SignalCancellation {
    /// The signal that cancelled the last run, if any.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { signalNumber -> DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let count = LockedCounter()
            source.setEventHandler {
                if count.increment() > 1 { exit(130) }
                FileHandle.standardError.write(Data("\ninterrupted: stopping…\n".utf8))
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}

/// A thread-safe counter.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
