import Foundation

/// Runs `body` in a task that SIGINT or SIGTERM cancel, so long commands stop promptly and clean up (journals stay
/// consistent, managed servers are stopped). A second signal exits at once.
enum SignalCancellation {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let watch = await SignalWatch.start(message: "\ninterrupted: stopping…\n") { task.cancel() }
        defer { watch.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
