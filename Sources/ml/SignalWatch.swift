import Dispatch
import Foundation
import Synchronization

/// Takes over SIGINT and SIGTERM until ``cancel()``: the first signal prints `message` and calls `onSignal`; a
/// second one calls `onForcedExit` (clean-up that cannot wait) and exits at once with status 130.
final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    init(message: String, onForcedExit: @escaping @Sendable () -> Void = {}, onSignal: @escaping @Sendable () -> Void) {
        let count = Atomic(0)
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if count.wrappingAdd(1, ordering: .relaxed).newValue > 1 {
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
