import Foundation
import Logging
import PostgresNIO
import Synchronization

/// One direct connection attempt to a workspace's server, to learn why the pool has no connection yet.
///
/// Why: postgres-nio's pool retries a failed connection for ever and keeps the reason to itself, so a wrong
/// password, a closed port or a missing database would only show as a wait that runs out. A statement that has
/// waited a moment connects once by itself: a refusal fails the statement at once with the server's reason.
/// Statements waiting together share one attempt.
final class PostgresConnectionProbe: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let latest = Mutex<(attempt: Task<Void, any Error>, started: ContinuousClock.Instant)?>(nil)
    /// How long one attempt's outcome answers later callers too.
    private let reuse = Duration.seconds(1)

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects and closes; throws the reason the server (or the network) gave.
    func check() async throws {
        let (configuration, logger, reuse) = (configuration, logger, reuse)
        let attempt = latest.withLock { latest -> Task<Void, any Error> in
            if let latest, ContinuousClock.now - latest.started < reuse { return latest.attempt }
            let attempt = Task {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
            }
            latest = (attempt, .now)
            return attempt
        }
        try await attempt.value
    }
}
