import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way swift-ml starts a child process: an argument array (Foundation's `Process`, never a shell), the
/// program found by ``ExecutableLookup``, started on ``SpawnThread`` (no blocked signals, parent-death signal
/// tied to a permanent thread), its exit status mapped by ``exitStatus(of:)``.
///
/// - ``run(_:input:output:mergeErrorIntoOutput:workingDirectory:environment:)`` runs a program to its end and
///   collects its status and output; ``runBlocking(_:input:output:mergeErrorIntoOutput:workingDirectory:environment:)``
///   is the same for synchronous callers.
/// - ``launch(_:)`` starts a long-lived `Process` its owner has configured and supervises (servers).
///
/// Standard output and standard error are read to their ends by two dedicated threads while the program runs, so a
/// chatty program never blocks on a full pipe and no Swift concurrency thread blocks. Standard input is `/dev/null`
/// unless `input` names a file; standard output can go straight to a file (`output`, created or truncated).
/// Cancelling the calling task terminates the program (SIGTERM); the call then throws `CancellationError` once it
/// has ended. The call returns when the program has exited *and* both pipes are closed: a background grandchild
/// that keeps them open delays it.
///
/// Foundation's `Process` (Linux) learns that a child ended on one shared monitor thread, when the child's copy of
/// a socket closes. A program that closes inherited descriptors at startup, as `ssh` does, makes that thread wait in
/// `waitpid` for it: while an `ssh` runs, the end of any other `Process` in this program is reported only after the
/// `ssh` ends. Nothing deadlocks (the `ssh` ends by itself), but a long transfer delays those reports.
public enum ChildProcess {
    /// Runs `arguments` (the program, then its arguments) to its end. `mergeErrorIntoOutput` sends standard error
    /// where standard output goes (one interleaved stream); `environment` replaces ours when given. Throws
    /// ``ChildProcessError`` when the program cannot be started, `CancellationError` when the task is cancelled.
    public static func run(
        _ arguments: [String],
        input: URL? = nil,
        output: URL? = nil,
        mergeErrorIntoOutput: Bool = false,
        workingDirectory: URL? = nil,
        environment: [String: String]? = nil
    ) async throws -> ChildProcessResult {
        let execution = try Execution(
            arguments, input: input, output: output, mergeErrorIntoOutput: mergeErrorIntoOutput,
            workingDirectory: workingDirectory, environment: environment
        )
        defer { execution.closeParentCopies() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                execution.start { continuation.resume(with: $0) }
            }
        } onCancel: {
            execution.cancel()
        }
    }

    /// ``run(_:input:output:mergeErrorIntoOutput:workingDirectory:environment:)`` for synchronous callers (a cached
    /// availability check, a test fixture): blocks the calling thread until the program has ended. No Swift
    /// concurrency thread is needed meanwhile, so it cannot starve the pool it blocks.
    public static func runBlocking(
        _ arguments: [String],
        input: URL? = nil,
        output: URL? = nil,
        mergeErrorIntoOutput: Bool = false,
        workingDirectory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ChildProcessResult {
        let execution = try Execution(
            arguments, input: input, output: output, mergeErrorIntoOutput: mergeErrorIntoOutput,
            workingDirectory: workingDirectory, environment: environment
        )
        defer { execution.closeParentCopies() }
        let outcome = Outcome()
        execution.start { result in
            outcome.result.withLock { $0 = result }
            outcome.done.signal()
        }
        outcome.done.wait()
        return try outcome.result.withLock { $0! }.get()
    }

    /// Starts `process` (configured by its owner, who supervises it: a long-lived server) on ``SpawnThread``.
    /// Throws ``ChildProcessError`` with ``ChildProcessErrorCode/launchFailed`` when it cannot be started.
    public static func launch(_ process: Process) async throws {
        let box = ProcessBox(process)
        let program = process.executableURL?.path ?? "?"
        try await SpawnThread.shared.run {
            do {
                try box.process.run()
            } catch {
                throw ChildProcessError(.launchFailed, "could not start '\(program)': \(error)", underlying: error)
            }
        }
    }

    /// The exit status of an ended process, 128 + the signal number when a signal ended it (as a shell reports it).
    public static func exitStatus(of process: Process) -> Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    private final class Outcome: Sendable {
        let result = Mutex<Result<ChildProcessResult, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }
}
