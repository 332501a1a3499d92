import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run-to-completion child process of ``ChildProcess``: configures it, collects its exit status and output, and
/// reports the outcome once, when all are in.
final class Execution: @unchecked Sendable {
    private struct State {
        var completion: (@Sendable (Result<ChildProcessResult, any Error>) -> Void)?
        var status: Int32?
        var output: Data?
        var error: Data?
        var launched = false
        var cancelled = false
    }

    private let program: String
    private let process: Process
    private let outputPipe: Pipe?
    private let errorPipe: Pipe?
    /// Our copies of the input and output files, closed once the call returns.
    private let parentCopies: [FileHandle]
    private let state: Mutex<State>

    /// Configures the process; throws ``ChildProcessError`` for a bad argument array, program, input or output.
    init(
        _ arguments: [String],
        input: URL?,
        output: URL?,
        mergeErrorIntoOutput: Bool,
        workingDirectory: URL?,
        environment: [String: String]?
    ) throws {
        guard let program = arguments.first, !program.isEmpty else {
            throw ChildProcessError(.invalidArgument, "empty command")
        }
        if let bad = arguments.first(where: { $0.utf8.contains(0) }) {
            throw ChildProcessError(.invalidArgument, "argument \(bad.debugDescription) contains a NUL byte")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExecutableLookup.resolve(program))
        process.arguments = Array(arguments.dropFirst())
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        if let environment { process.environment = environment }

        var parentCopies: [FileHandle] = []
        if let input {
            guard let handle = FileHandle(forReadingAtPath: input.path) else {
                throw ChildProcessError(.inputUnreadable, "cannot read '\(input.path)'")
            }
            process.standardInput = handle
            parentCopies.append(handle)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        if let output {
            let fd = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                for handle in parentCopies { try? handle.close() }
                throw ChildProcessError(
                    .outputUnwritable, "cannot write '\(output.path)': \(String(cString: strerror(errno)))"
                )
            }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            process.standardOutput = handle
            parentCopies.append(handle)
        }
        let outputPipe = output == nil ? Pipe() : nil
        if let outputPipe { process.standardOutput = outputPipe }
        let errorPipe = mergeErrorIntoOutput ? nil : Pipe()
        process.standardError = errorPipe ?? process.standardOutput
        self.program = program
        self.process = process
        self.outputPipe = outputPipe
        self.errorPipe = errorPipe
        self.parentCopies = parentCopies
        state = Mutex(State(output: outputPipe == nil ? Data() : nil, error: errorPipe == nil ? Data() : nil))
    }

    func closeParentCopies() {
        for handle in parentCopies { try? handle.close() }
    }

    /// Starts the program on ``SpawnThread``; `completion` gets the outcome once.
    func start(_ completion: @escaping @Sendable (Result<ChildProcessResult, any Error>) -> Void) {
        let cancelledEarly = state.withLock { state in
            state.completion = completion
            return state.cancelled
        }
        if cancelledEarly { return finish(throwing: CancellationError()) }
        process.terminationHandler = { [self] process in
            let status = ChildProcess.exitStatus(of: process)
            update { $0.status = status }
        }
        SpawnThread.shared.submit { [self] in
            guard !state.withLock({ $0.cancelled }) else { return finish(throwing: CancellationError()) }
            do {
                try process.run()
            } catch {
                return finish(
                    throwing: ChildProcessError(.launchFailed, "could not start '\(program)': \(error)", underlying: error)
                )
            }
            // Foundation has closed our copies of the pipes' write ends (and the child has no other descriptors of
            // ours): reading to the end ends when the program and anything it left running are done.
            if let outputPipe {
                Self.drain(outputPipe.fileHandleForReading) { [self] data in update { $0.output = data } }
            }
            if let errorPipe {
                Self.drain(errorPipe.fileHandleForReading) { [self] data in update { $0.error = data } }
            }
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
        let outcome:
            (
                @Sendable (Result<ChildProcessResult, any Error>) -> Void,
                Result<ChildProcessResult, any Error>
            )? =
                state.withLock { state in
                    body(&state)
                    guard let status = state.status, let output = state.output, let error = state.error,
                        let completion = state.completion
                    else { return nil }
                    state.completion = nil
                    let result: Result<ChildProcessResult, any Error> =
                        state.cancelled
                        ? .failure(CancellationError())
                        : .success(ChildProcessResult(status: status, standardOutput: output, standardError: error))
                    return (completion, result)
                }
        if let (completion, result) = outcome { completion(result) }
    }

    private func finish(throwing error: any Error) {
        let completion = state.withLock { state in
            defer { state.completion = nil }
            return state.completion
        }
        completion?(.failure(error))
    }

    private static func drain(_ handle: FileHandle, into deliver: @escaping @Sendable (Data) -> Void) {
        let thread = Thread {
            let data = (try? handle.readToEnd()) ?? Data()
            try? handle.close()
            deliver(data)
        }
        thread.name = "swift-ml.child-output"
        thread.start()
    }
}
