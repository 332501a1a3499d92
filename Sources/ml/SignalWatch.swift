import Dispatch
import Foundation

/// Takes over SIGINT and SIGTERM until ``cancel()``: the first signal prints `message` and calls `onSignal`; a
/// second one calls `onForcedExit` (clean-up that cannot wait) and exits at once with status 130.
final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    init(message: String, onForcedExit: @escaping @Sendable () -> Void = {}, onSignal: @escaping @Sendable () -> Void) {
        let count = LockedCounter()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if count.increment() > 1 {
                    onForcedExit()
                    exit(130)
                }
                FileHandle.standardError.write(Data(message.utf8))
                onSignal()
            }
            source.resume()
            return source
        }
    }

    /// Gives the signals back their default behaviour.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
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
