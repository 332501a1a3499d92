import Foundation
import UnixSignals

/// The one way `ml`'s commands take over signals: ServiceLifecycle's `UnixSignalsSequence` (which `ml serve`'s
/// service group uses too), watched until ``cancel()``. Each signal calls `onSignal` with how many have arrived so
/// far, so a command can stop gracefully on the first and exit at once on the second.
final class SignalWatch: Sendable {
    private let task: Task<Void, Never>
    private let signals: [UnixSignal]

    private init(task: Task<Void, Never>, signals: [UnixSignal]) {
        self.task = task
        self.signals = signals
    }

    /// Starts watching; the signals are trapped when this returns.
    static func start(
        _ signals: [UnixSignal] = [.sigint, .sigterm],
        onSignal: @escaping @Sendable (_ count: Int) -> Void
    ) async -> SignalWatch {
        let sequence = await UnixSignalsSequence(trapping: signals)
        let task = Task {
            var count = 0
            for await _ in sequence {
                count += 1
                onSignal(count)
            }
        }
        return SignalWatch(task: task, signals: signals)
    }

    /// The usual policy of a long command: the first signal prints `message` and calls `onFirst`; a second one
    /// exits at once (``exitingOnSecondSignal(cleanUp:)``).
    static func start(message: String, onFirst: @escaping @Sendable () -> Void) async -> SignalWatch {
        await start { count in
            if count > 1 { exitNow() }
            FileHandle.standardError.write(Data(message.utf8))
            onFirst()
        }
    }

    /// Only the forced exit, for a command whose first signal something else handles (`ml agent`'s service group):
    /// a second signal calls `cleanUp` (what cannot wait) and exits at once with status 130.
    static func exitingOnSecondSignal(cleanUp: @escaping @Sendable () -> Void) async -> SignalWatch {
        await start { count in
            if count > 1 { exitNow(cleanUp: cleanUp) }
        }
    }

    private static func exitNow(cleanUp: () -> Void = {}) -> Never {
        cleanUp()
        exit(130)
    }

    /// Stops watching and gives the signals back their default behaviour.
    func cancel() {
        task.cancel()
        for signal in signals { Foundation.signal(signal.rawValue, SIG_DFL) }
    }
}
