import ChildProcess
import Foundation
import Logging
import Synchronization

/// Runs a program with an argument array (Foundation's `Process`, never a shell) and collects what it leaves.
///
/// Standard output and standard error are read to their ends by two dedicated threads while the program runs, so a
/// chatty program never blocks on a full pipe and no Swift concurrency thread blocks. Standard input is `/dev/null`
/// unless `input` names a file; standard output can go straight to a file (`output`, created or truncated).
/// Cancelling the calling task terminates the program (SIGTERM); the call then throws `CancellationError` once it
/// has ended. The call returns when the program has exited *and* both pipes are closed: a background grandchild
/// that keeps them open delays it. Programs are started on ``SpawnThread`` so that they inherit no blocked signals.
///
/// Foundation's `Process` (Linux) learns that a child ended on one shared monitor thread, when the child's copy of
/// a socket closes. A program that closes inherited descriptors at startup, as `ssh` does, makes that thread wait in
/// `waitpid` for it: while an `ssh` runs, the end of any other `Process` in this program is reported only after the
/// `ssh` ends. Nothing deadlocks (the `ssh` ends by itself), but a long transfer delays those reports.
enum CommandRunner {
    static let logger = Logger(label: "swift-ml.transport")

    static func run(
        _ arguments: [String],
        input: URL? = nil,
        output: URL? = nil,
        workingDirectory: URL? = nil
    ) async throws -> CommandResult {
        guard let program = arguments.first, !program.isEmpty else {
            throw TransportError(.invalidArgument, "empty command")
        }
        if let bad = arguments.first(where: { $0.utf8.contains(0) }) {
            throw TransportError(.invalidArgument, "argument \(bad.debugDescription) contains a NUL byte")
        }
        let executable = try resolveExecutable(program)
        logger.debug("running", metadata: ["command": "\(arguments)"])

        let process = Process()
        process.executableURL = executable
        process.arguments = Array(arguments.dropFirst())
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }

        var parentCopies: [FileHandle] = []
        if let input {
            guard let handle = FileHandle(forReadingAtPath: input.path) else {
                throw TransportError(.notFound, "cannot read '\(input.path)'")
            }
            process.standardInput = handle
            parentCopies.append(handle)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        var outputPipe: Pipe?
        if let output {
            let fd = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw TransportError(.copyFailed, "cannot write '\(output.path)': \(String(cString: strerror(errno)))")
            }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            process.standardOutput = handle
            parentCopies.append(handle)
        } else {
            let pipe = Pipe()
            process.standardOutput = pipe
            outputPipe = pipe
        }
        let errorPipe = Pipe()
        process.standardError = errorPipe

        let execution = Execution(process: process, capturesOutput: outputPipe != nil)
        defer { for handle in parentCopies { try? handle.close() } }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                execution.start(
                    continuation: continuation,
                    program: program,
                    outputPipe: outputPipe,
                    errorPipe: errorPipe
                )
            }
        } onCancel: {
            execution.cancel()
        }
    }

    /// `program` itself when it contains a `/`, else the first executable file of that name in `PATH`.
    static func resolveExecutable(_ program: String) throws -> URL {
        let fileManager = FileManager.default
        func isExecutable(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && fileManager.isExecutableFile(atPath: path)
        }
        if program.contains("/") {
            guard isExecutable(program) else {
                throw TransportError(.launchFailed, "'\(program)' is not an executable file")
            }
            return URL(fileURLWithPath: program)
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if isExecutable(candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw TransportError(.launchFailed, "'\(program)' was not found in PATH")
    }
}

/// One running command: collects its exit status and output, and resumes the caller once, when all are in.
private final class Execution: @unchecked Sendable {
    private struct State {
        var continuation: CheckedContinuation<CommandResult, any Error>?
        var status: Int32?
        var output: Data?
        var error: Data?
        var launched = false
        var cancelled = false
    }

    private let process: Process
    private let state: Mutex<State>

    init(process: Process, capturesOutput: Bool) {
        self.process = process
        self.state = Mutex(State(output: capturesOutput ? nil : Data()))
    }

    func start(
        continuation: CheckedContinuation<CommandResult, any Error>,
        program: String,
        outputPipe: Pipe?,
        errorPipe: Pipe
    ) {
        let cancelledEarly = state.withLock { state in
            state.continuation = continuation
            return state.cancelled
        }
        if cancelledEarly { return finish(throwing: CancellationError()) }
        process.terminationHandler = { [self] process in
            let status =
                process.terminationReason == .uncaughtSignal
                ? 128 + process.terminationStatus : process.terminationStatus
            update { $0.status = status }
        }
        SpawnThread.shared.submit { [self] in
            guard !state.withLock({ $0.cancelled }) else { return finish(throwing: CancellationError()) }
            do {
                try process.run()
            } catch {
                return finish(throwing: TransportError(.launchFailed, "could not start '\(program)': \(error)", underlying: error))
            }
            // Foundation has closed our copies of the pipes' write ends (and the child has no other descriptors of
            // ours): reading to the end ends when the program and anything it left running are done.
            if let outputPipe {
                Self.drain(outputPipe.fileHandleForReading) { [self] data in update { $0.output = data } }
            }
            Self.drain(errorPipe.fileHandleForReading) { [self] data in update { $0.error = data } }
            let cancelledMeanwhile = state.withLock { state in
                state.launched = true
                return state.cancelled && state.status == nil
            }
            if cancelledMeanwhile { process.terminate() }
        }
    }

    /// Terminates the program if it runs; the caller then gets `CancellationError`.
    func cancel() {
        let running = state.withLock { state in
            state.cancelled = true
            return state.launched && state.status == nil
        }
        if running { process.terminate() }
    }

    private func update(_ body: (inout State) -> Void) {
        let outcome: (CheckedContinuation<CommandResult, any Error>, Result<CommandResult, any Error>)? =
            state.withLock { state in
                body(&state)
                guard let status = state.status, let output = state.output, let error = state.error,
                    let continuation = state.continuation
                else { return nil }
                state.continuation = nil
                let result: Result<CommandResult, any Error> =
                    state.cancelled
                    ? .failure(CancellationError())
                    : .success(CommandResult(status: status, standardOutput: output, standardError: error))
                return (continuation, result)
            }
        if let (continuation, result) = outcome { continuation.resume(with: result) }
    }

    private func finish(throwing error: any Error) {
        let continuation = state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(throwing: error)
    }

    private static func drain(_ handle: FileHandle, into deliver: @escaping @Sendable (Data) -> Void) {
        let thread = Thread {
            let data = (try? handle.readToEnd()) ?? Data()
            try? handle.close()
            deliver(data)
        }
        thread.name = "swift-ml.transport.drain"
        thread.start()
    }
}
