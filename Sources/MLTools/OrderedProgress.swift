import Synchronization

/// A tool's progress reports sent in order from one task, whichever tasks make them: MCP asks that a call's
/// progress only ever grows, and answers arriving from concurrent tasks would otherwise race to the client.
final class OrderedProgress: Sendable {
    private let continuation: AsyncStream<(done: Double, message: String?)>.Continuation
    private let forwarder: Task<Void, Never>

    init(total: Double?, _ progress: ToolProgress) {
        let (updates, continuation) = AsyncStream.makeStream(of: (done: Double, message: String?).self)
        self.continuation = continuation
        forwarder = Task {
            var last = -Double.infinity
            for await update in updates where update.done > last {
                last = update.done
                await progress.report(update.done, total, update.message)
            }
        }
    }

    /// Reports `done`; a value not above the last one sent is dropped.
    func report(_ done: Double, _ message: String? = nil) { continuation.yield((done, message)) }

    /// Sends what is queued, then stops.
    func finish() async {
        continuation.finish()
        await forwarder.value
    }

    deinit { continuation.finish() }
}

/// Counts events that arrive from concurrent tasks.
final class EventCounter: Sendable {
    private let count = Mutex(0)
    /// The count including this event.
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}
