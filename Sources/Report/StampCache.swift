import Synchronization

/// The sources' stamp for a live page's polls: computed at most once per `interval`, and callers arriving while
/// it is computed share that computation, so any number of open pages cost one workspace read per interval.
final class StampCache: Sendable {
    private let interval: Duration
    private let latest = Mutex<(computing: Task<String, Never>, started: ContinuousClock.Instant)?>(nil)

    init(interval: Duration = .seconds(1)) { self.interval = interval }

    func stamp(_ sources: ReportSources) async -> String {
        let interval = interval
        let task = latest.withLock { latest in
            if let latest, ContinuousClock.now - latest.started < interval { return latest.computing }
            let computing = Task { await sources.stamp() }
            latest = (computing, .now)
            return computing
        }
        return await task.value
    }
}
