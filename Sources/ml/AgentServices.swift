import Agent
import Foundation
import ServiceLifecycle
import Synchronization

/// `ml agent`'s checkpoint passes as a service: one pass (`--one-shot`) or passes until a graceful shutdown
/// (SIGTERM / SIGINT through the service group), which lets the checkpoint being evaluated finish and be recorded.
final class CheckpointPassesService: Service {
    let agent: CheckpointAgent
    let oneShot: Bool
    /// The training log read once before a one-shot pass.
    let follower: TrainingLogFollower?
    /// Checkpoints that failed, once the service has finished.
    let failures = Mutex(0)

    init(agent: CheckpointAgent, oneShot: Bool, follower: TrainingLogFollower?) {
        self.agent = agent
        self.oneShot = oneShot
        self.follower = follower
    }

    func run() async throws {
        let agent = agent
        let failed = try await withGracefulShutdownHandler { () async throws -> Int in
            if oneShot {
                if let follower { await follower.readNew() }
                let report = try await agent.runOnce()
                print("evaluated \(report.evaluated.count), failed \(report.failed.count), already scored \(report.skipped)"
                      + (report.stopped ? " (stopped early)" : ""))
                for failure in report.failed { printError("failed: \(failure.checkpoint.label): \(failure.error)") }
                return report.failed.count
            }
            return try await agent.run()
        } onGracefulShutdown: {
            FileHandle.standardError.write(Data("stopping after the current checkpoint is recorded (again to exit now)…\n".utf8))
            agent.stop()
        }
        failures.withLock { $0 = failed }
    }
}

/// Follows the training log beside the checkpoint passes until the group shuts down.
struct TrainingLogService: Service {
    let follower: TrainingLogFollower

    func run() async throws {
        let follower = follower
        // Cancelled on graceful shutdown: the follower's sleep ends, it reads what is new once more, and returns.
        await cancelWhenGracefulShutdown { await follower.follow { false } }
    }
}
