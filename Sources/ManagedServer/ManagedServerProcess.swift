import AsyncHTTPClient
import Locking
import ChildProcess
import Foundation
import Inference
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running server child process on a loopback port, supervised from start to reaping. `LlamaServer` runs
/// llama-server with it and `MLXServer` runs mlx_lm.server; what to run is a ``ManagedServerCommand``.
///
/// - Start (``start(_:)``): the server gets a free port (bind port 0, read it back); if another process takes that
///   port before the server binds it, the server's "address in use" exit is recognised
///   (``ManagedServerCommand/portInUseMarkers``) and the start is retried on a new port (3 attempts). An explicit
///   ``ManagedServerCommand/port`` that is taken is an error naming it. The server is ready when its health path
///   answers 200 within ``ManagedServerCommand/healthDeadline`` (and, for a server that answers while it loads, has
///   said it loaded: ``ManagedServerCommand/startSigns``). If it exits first, never becomes healthy, or its health
///   answer or output says it failed (``ServerStartSigns``), the start fails at once with its exit status or the
///   failure and the last 20 lines of its output, and no process is left behind (a cancelled start stops the
///   server too).
/// - Arguments are an array handed to `posix_spawn` (Foundation's `Process`, started by ``ChildProcess/launch(_:)``
///   after ``ExecutableLookup`` found the executable), never a shell string; the child
///   inherits no descriptors but its stdin (`/dev/null`) and stdout/stderr (one pipe).
/// - Output is read continuously by a dedicated thread (the server never stalls on a full pipe) into a bounded
///   ring (``recentLogs(_:)``), optionally appended to ``ManagedServerCommand/logFile``.
/// - Stop (``stop()``): SIGTERM, up to ``ManagedServerCommand/stopGracePeriod``, then SIGKILL; returns once the
///   process has been reaped. Idempotent and safe to call concurrently.
/// - Death: ``waitForExit()`` returns as soon as the process ends (crash, kill -9), with its status.
///
/// ## No orphans
/// On Linux the server is spawned as
/// `setpriv --pdeathsig KILL -- /bin/sh -c '[ "$PPID" = "$1" ] || exit 125; shift; exec "$@"' guard OURPID SERVER ARGS…`:
/// `setpriv` sets the parent-death signal (`PR_SET_PDEATHSIG`), so the kernel SIGKILLs the server when its
/// parent dies, however it dies (SIGKILL included). The `sh` step closes the window in which we could die before
/// `setpriv` set the signal: it checks that its parent is still us (a child orphaned earlier has been re-parented)
/// and `exec`s the server — the same pid throughout, the arguments passed as `"$@"`, never interpolated. The
/// parent-death signal fires when the *thread* that spawned the child exits, and Swift's and Dispatch's worker
/// threads come and go, so every spawn happens on ``SpawnThread``'s one permanent thread.
/// Without `setpriv` (macOS, minimal Linux) this is best effort: ``LiveChildren`` kills the servers when our
/// process exits normally, and a dropped ``ManagedServerProcess`` terminates its server; a SIGKILLed or crashed
/// owner leaves the server running.
public final class ManagedServerProcess: Sendable {
    public let command: ManagedServerCommand
    public let port: Int
    public let pid: Int32
    /// `http://HOST:PORT`, loopback when the server listens on every interface.
    public let baseURL: String
    private let startedAt: ContinuousClock.Instant
    private let logs: LogRing
    private let state: Locked<ManagedProcessState>
    private let exit: OneShotSignal<Int32>
    private let process: ProcessBox

    /// Attempts at a free port before giving up.
    public static let portAttempts = 3

    /// The server's name in messages.
    public var name: String { command.name }

    /// Where the server is in its lifecycle.
    public var phase: ManagedProcessState.Phase { state.withLock { $0.phase } }

    /// The server's most recent output lines (stdout and stderr, interleaved as written), oldest first.
    public func recentLogs(_ count: Int? = nil) -> [String] { logs.tail(count) }

    /// The exit status once the process has ended (128 + signal when killed by a signal).
    public var exitStatus: Int32? { exit.value }

    /// Whether the process is still running.
    public var isRunning: Bool { exit.value == nil }

    /// Waits until the process has ended and returns its exit status; `nil` when the waiting task is cancelled.
    public func waitForExit() async -> Int32? { await exit.wait() }

    /// Whether the process ends within `duration` (or has ended already); `false` when the task is cancelled.
    public func hasExited(within duration: Duration) async -> Bool {
        await exit.wait(timeout: duration) != nil
    }

    private init(
        command: ManagedServerCommand,
        port: Int,
        pid: Int32,
        logs: LogRing,
        state: Locked<ManagedProcessState>,
        exit: OneShotSignal<Int32>,
        process: ProcessBox
    ) {
        self.command = command
        self.port = port
        self.pid = pid
        self.baseURL = "http://\(Self.connectHost(command.host)):\(port)"
        self.startedAt = .now
        self.logs = logs
        self.state = state
        self.exit = exit
        self.process = process
    }

    deinit {
        // Dropped without stop(): do not leave the server running.
        if exit.value == nil { kill(pid, SIGTERM) }
    }

    // MARK: - Start

    /// Starts the server and waits until it is ready.
    public static func start(_ command: ManagedServerCommand) async throws -> ManagedServerProcess {
        try await start(command) { try PortProbe.freePort(host: command.host) }
    }

    /// ``start(_:)`` with the free-port choice injectable (tests lose the port race on purpose).
    public static func start(
        _ command: ManagedServerCommand,
        choosePort: () throws -> Int
    ) async throws -> ManagedServerProcess {
        guard let executable = try? ExecutableLookup.resolve(command.executable) else {
            throw InferenceError(.backendNotAvailable, "\(command.name) not found at '\(command.executable)'")
        }
        if let port = command.port {
            guard (1...65535).contains(port) else {
                throw InferenceError(.invalidRequest, "port \(port) is out of range")
            }
            guard try PortProbe.isFree(port, host: command.host) else {
                throw InferenceError(.serverError, "port \(port) on \(command.host) is already in use")
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let port = try command.port ?? choosePort()
            let process = try await spawn(command, executable: executable, port: port)
            do {
                try await process.waitUntilHealthy()
                return process
            } catch {
                await process.stop()
                if process.lostPortRace && command.port == nil && attempt < portAttempts { continue }
                throw error
            }
        }
    }

    private static func spawn(
        _ command: ManagedServerCommand,
        executable: String,
        port: Int
    ) async throws -> ManagedServerProcess {
        let logs = LogRing(capacity: command.logCapacity, filePath: command.logFile)
        let exit = OneShotSignal<Int32>()
        let state = Locked(ManagedProcessState(name: command.name))
        let line = Self.command(executable: executable, arguments: command.arguments(port), name: command.name)
        let environment = command.environment.isEmpty
            ? nil : ProcessInfo.processInfo.environment.merging(command.environment) { _, new in new }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: line[0])
        process.arguments = Array(line.dropFirst())
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { process in
            let status = ChildProcess.exitStatus(of: process)
            _ = state.withLock { $0.processExited(status: status) }
            exit.fire(status)
            LiveChildren.remove(process.processIdentifier)
        }
        do {
            try await ChildProcess.launch(process)
        } catch let error as ChildProcessError {
            let cause = error.underlying.map { "\($0)" } ?? error.message
            throw InferenceError(.serverError, "could not start '\(command.executable)': \(cause)", underlying: error)
        }
        let pid = process.processIdentifier
        LiveChildren.insert(pid)
        if exit.value != nil { LiveChildren.remove(pid) }
        Self.drain(output.fileHandleForReading, into: logs, name: command.name)
        _ = state.withLock { $0.spawned(pid: pid) }
        return ManagedServerProcess(
            command: command, port: port, pid: pid, logs: logs, state: state, exit: exit, process: ProcessBox(process)
        )
    }

    /// The command line: on Linux wrapped in `setpriv --pdeathsig KILL` and the parent check (see the type's docs).
    public static func command(executable: String, arguments: [String], name: String = "server") -> [String] {
        #if os(Linux)
        if let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: ExecutableLookup.isExecutableFile) {
            let check = #"[ "$PPID" = "$1" ] || exit 125; shift; exec "$@""#
            let wrapper = [setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c", check, "\(name)-guard"]
            return wrapper + [String(getpid()), executable] + arguments
        }
        #endif
        return [executable] + arguments
    }

    /// Reads the pipe on a dedicated thread with blocking reads until the server's end closes.
    private static func drain(_ handle: FileHandle, into logs: LogRing, name: String) {
        let thread = Thread {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let count = read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
                if count > 0 {
                    logs.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            try? handle.close()
            logs.finish()
        }
        thread.name = "swift-ml.\(name)-output"
        thread.start()
    }

    private func waitUntilHealthy() async throws {
        let deadline = startedAt + command.healthDeadline
        var request = HTTPClientRequest(url: baseURL + command.healthPath)
        request.method = .GET
        // No keep-alive: servers may wait for open connections when they are stopped.
        request.headers.add(name: "Connection", value: "close")
        while true {
            if let status = exit.value { throw await startFailure(status: status) }
            let remaining = deadline - .now
            if remaining <= .zero {
                let action = state.withLock {
                    $0.healthDeadlinePassed("no 200 from \(command.healthPath) within \(command.healthDeadline)")
                }
                perform(action)
                await terminate()
                throw InferenceError(
                    .timeout,
                    "\(name) (pid \(pid), port \(port)) did not become ready within \(command.healthDeadline); "
                        + "it was stopped. Last output:\n" + recentLogs(20).joined(separator: "\n")
                )
            }
            let answer = await healthAnswer(request, timeout: min(remaining, .seconds(2)))
            switch command.startSigns.verdict(health: answer, output: recentLogs(), isOurs: isOurs()) {
            case .ready:
                if state.withLock({ $0.healthy() }) == .markReady { return }
            case .notYet:
                break
            case .failed(let reason):
                // The process runs on, but will never serve: stop it, then quote its complete last output.
                perform(state.withLock { $0.startFailed("\(name) failed to start: \(reason)") })
                await terminate()
                if let status = exit.value, lostPortRace { throw await startFailure(status: status) }
                // Our own health polls' access-log lines would push the cause (a traceback) out of the tail.
                let poll = "GET \(command.healthPath) "
                throw InferenceError(
                    .serverError,
                    "\(name) (pid \(pid), port \(port)) failed to start: \(reason); it was stopped. Last output:\n"
                        + recentLogs().filter { !$0.contains(poll) }.suffix(20).joined(separator: "\n")
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The health path's answer (status and the start of its body); `nil` when there is none. Raced against the
    /// exit: a server that binds its port before it loads the model and then fails leaves a request hanging in the
    /// listen backlog until it times out.
    private func healthAnswer(_ request: HTTPClientRequest, timeout: Duration) async -> ServerStartSigns.HealthAnswer? {
        await withTaskGroup(of: ServerStartSigns.HealthAnswer?.self) { group in
            group.addTask {
                let timeout = TimeAmount.nanoseconds(Int64(timeout / .nanoseconds(1)))
                guard let response = try? await HTTPClient.shared.execute(request, timeout: timeout) else {
                    return nil
                }
                let body = (try? await response.body.collect(upTo: 1 << 16)).map { String(buffer: $0) } ?? ""
                return ServerStartSigns.HealthAnswer(status: Int(response.status.code), body: String(body.prefix(500)))
            }
            group.addTask {
                _ = await self.exit.wait()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Whether the server that answered on our port is our process (not one that won the port race): alive, not
    /// failed to bind, and either it announced the port or it has run long enough to have bound it.
    private func isOurs() -> Bool {
        guard exit.value == nil, !lostPortRace else { return false }
        if let bindsWithin = command.bindsWithin, ContinuousClock.now - startedAt > bindsWithin { return true }
        return recentLogs().contains { command.announcesPort($0, port) }
    }

    /// Whether the server could not bind its port (someone else has it).
    public var lostPortRace: Bool {
        let markers = command.portInUseMarkers
        return recentLogs().contains { line in markers.contains { line.contains($0) } }
    }

    private func startFailure(status: Int32) async -> InferenceError {
        await logs.waitUntilDrained(timeout: .seconds(1))
        let tail = recentLogs(20).joined(separator: "\n")
        if lostPortRace {
            return InferenceError(
                .serverError,
                "\(name) could not bind port \(port) on \(command.host) (in use by another process); "
                    + "exit status \(status). Last output:\n" + tail
            )
        }
        return InferenceError(
            .serverError,
            "\(name) exited with status \(status) before it was ready. Last output:\n" + tail
        )
    }

    /// Runs `body` (a request to this server), throwing as soon as the process exits meanwhile, with its exit
    /// status and last output lines: a request to a server that died fails at once instead of at a timeout. When
    /// the request fails first (its connection reset by the dying server), the exit error is thrown if the process
    /// ends within half a second, so the caller learns the cause rather than its symptom.
    public func failingOnExit<T: Sendable>(
        during activity: String = "the request",
        onExit: (@Sendable (Int32) -> Void)? = nil,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    return try await body()
                } catch {
                    if Task.isCancelled || error is CancellationError { throw error }
                    // The connection often breaks before the exit is reaped (more so on a busy machine): wait for it a
                    // little, still inside the second a caller is promised.
                    guard let status = await self.exit.wait(timeout: .milliseconds(900)) else { throw error }
                    onExit?(status)
                    throw self.exitError(status: status, during: activity)
                }
            }
            group.addTask {
                guard let status = await self.exit.wait() else { return nil }
                onExit?(status)
                throw self.exitError(status: status, during: activity)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }

    private func exitError(status: Int32, during activity: String) -> InferenceError {
        InferenceError(
            .serverError,
            "\(name) (pid \(pid)) exited with status \(status) during \(activity). Last output:\n"
                + recentLogs(10).joined(separator: "\n")
        )
    }

    // MARK: - Stop

    /// Stops the server: SIGTERM, then SIGKILL after the grace period. Returns when the process has ended.
    public func stop() async {
        perform(state.withLock { $0.stopRequested() })
        await terminate()
    }

    /// Waits out the grace period after SIGTERM, then SIGKILLs, then waits for the exit and the last output.
    private func terminate() async {
        if await exit.wait(timeout: command.stopGracePeriod, cancellable: false) == nil {
            perform(state.withLock { $0.gracePeriodExpired() })
        }
        _ = await exit.waitUninterruptibly()
        await logs.waitUntilDrained(timeout: .seconds(1))
        logs.closeFile()
    }

    private func perform(_ action: ManagedProcessState.Action) {
        switch action {
        case .terminate(let pid): if exit.value == nil { kill(pid, SIGTERM) }
        case .kill(let pid): if exit.value == nil { kill(pid, SIGKILL) }
        case .none, .pollHealth, .markReady, .reportCrash, .reportStartFailure: break
        }
    }

    /// The host to connect to for a bind address: loopback for the wildcard, brackets around IPv6.
    public static func connectHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "[::]": return "[::1]"
        default: return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}
