import Dispatch
import Foundation
import Synchronization

/// Takes over SIGINT and SIGTERM until ``cancel()``: the first signal prints `message` and calls `onSignal`; a
/// second one exits at once with status 130.
final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    init(message: String, onSignal: @escaping @Sendable () -> Void) {
        let count = Atomic(0)
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if count.wrappingAdd(1, ordering: .relaxed).newValue > 1 { exit(130) }
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
