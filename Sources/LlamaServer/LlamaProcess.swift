import AsyncHTTPClient
import ChildProcess
import Foundation
import Inference
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `llama-server` child process on a loopback port.
///
/// - Start (``start(model:settings:)``): the model file and the executable are checked before anything is
///   spawned. The server gets a free port (bind port 0, read it back); if another process takes that port before
///   the server binds it, the server's "couldn't bind" exit is recognised and the start is retried on a new port
///   (3 attempts). An explicit ``LlamaServerSettings/port`` that is taken is an error naming it. The server is ready
///   when `GET /health` answers 200 (it answers 503 while loading) within ``LlamaServerSettings/healthDeadline``.
///   If it exits first or never becomes healthy, the error says so with its exit status and the last 20 lines of its
///   output, and no process is left behind (a cancelled start stops the server too).
/// - Arguments are an array handed to `posix_spawn` (Foundation's `Process`), never a shell string; the child
///   inherits no descriptors but its stdin (`/dev/null`) and stdout/stderr (one pipe).
/// - Output is read continuously by a dedicated thread (the server never stalls on a full pipe) into a bounded
///   ring (``recentLogs(_:)``), optionally appended to ``LlamaServerSettings/logFile``.
/// - Stop (``stop()``): SIGTERM, up to ``LlamaServerSettings/stopGracePeriod``, then SIGKILL; returns once the
///   process has been reaped. Idempotent and safe to call concurrently.
/// - Death: ``waitForExit()`` returns as soon as the process ends (crash, kill -9), with its status.
///
/// ## No orphans
/// On Linux the server is spawned as
/// `setpriv --pdeathsig KILL -- /bin/sh -c '[ "$PPID" = "$1" ] || exit 125; shift; exec "$@"' guard OURPID llama-server ARGS…`:
/// `setpriv` sets the parent-death signal (`PR_SET_PDEATHSIG`), so the kernel SIGKILLs the server when its
/// parent dies, however it dies (SIGKILL included). The `sh` step closes the window in which we could die before
/// `setpriv` set the signal: it checks that its parent is still us (a child orphaned earlier has been re-parented)
/// and `exec`s the server — the same pid throughout, the arguments passed as `"$@"`, never interpolated. The
/// parent-death signal fires when the *thread* that spawned the child exits, and Swift's and Dispatch's worker
/// threads come and go, so every spawn happens on ``SpawnThread``'s one permanent thread.
/// Without `setpriv` (macOS, minimal Linux) this is best effort: ``LiveChildren`` kills the servers when our
/// process exits normally, and a dropped ``LlamaProcess`` terminates its server; a SIGKILLed or crashed owner
/// leaves the server running.
public final class LlamaProcess: Sendable {
    /// The model file the server loaded.
    public let model: String
    public let settings: LlamaServerSettings
    public let port: Int
    public let pid: Int32
    /// `http://HOST:PORT`, loopback when the server listens on every interface.
    public let baseURL: String
    private let startedAt: ContinuousClock.Instant
    private let logs: LogRing
    private let state: Locked<LlamaProcessState>
    private let exit: OneShotSignal<Int32>
    private let process: ProcessBox

    /// Attempts at a free port before giving up.
    static let portAttempts = 3

    /// Where the server is in its lifecycle.
    public var phase: LlamaProcessState.Phase { state.withLock { $0.phase } }

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
        model: String,
        settings: LlamaServerSettings,
        port: Int,
        pid: Int32,
        logs: LogRing,
        state: Locked<LlamaProcessState>,
        exit: OneShotSignal<Int32>,
        process: ProcessBox
    ) {
        self.model = model
        self.settings = settings
        self.port = port
        self.pid = pid
        self.baseURL = "http://\(Self.connectHost(settings.host)):\(port)"
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

    /// Starts a server for `model` and waits until it is ready.
    public static func start(
        model: String,
        settings: LlamaServerSettings = LlamaServerSettings()
    ) async throws -> LlamaProcess {
        try await start(model: model, settings: settings) { try PortProbe.freePort(host: settings.host) }
    }

    /// ``start(model:settings:)`` with the free-port choice injectable (tests lose the port race on purpose).
    static func start(
        model: String,
        settings: LlamaServerSettings,
        choosePort: () throws -> Int
    ) async throws -> LlamaProcess {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory) else {
            throw InferenceError(.modelNotFound, "model file '\(model)' does not exist")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: model) else {
            throw InferenceError(.modelNotFound, "model file '\(model)' is not a readable file")
        }
        guard let executable = settings.resolvedExecutable() else {
            throw InferenceError(
                .backendNotAvailable,
                "llama-server not found at '\(settings.executable)': run scripts/setup or set SWIFT_ML_LLAMA_SERVER"
            )
        }
        if let port = settings.port {
            guard (1...65535).contains(port) else {
                throw InferenceError(.invalidRequest, "port \(port) is out of range")
            }
            guard try PortProbe.isFree(port, host: settings.host) else {
                throw InferenceError(.serverError, "port \(port) on \(settings.host) is already in use")
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let port = try settings.port ?? choosePort()
            let process = try await spawn(executable: executable, model: model, settings: settings, port: port)
            do {
                try await process.waitUntilHealthy()
                return process
            } catch {
                await process.stop()
                if process.lostPortRace && settings.port == nil && attempt < portAttempts { continue }
                throw error
            }
        }
    }

    private static func spawn(
        executable: String,
        model: String,
        settings: LlamaServerSettings,
        port: Int
    ) async throws -> LlamaProcess {
        let logs = LogRing(capacity: settings.logCapacity, filePath: settings.logFile)
        let exit = OneShotSignal<Int32>()
        let state = Locked(LlamaProcessState())
        let command = Self.command(executable: executable, arguments: settings.arguments(model: model, port: port))
        let (pid, box) = try await SpawnThread.shared.run { () throws -> (Int32, ProcessBox) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            process.terminationHandler = { process in
                let status =
                    process.terminationReason == .uncaughtSignal
                    ? 128 + process.terminationStatus : process.terminationStatus
                _ = state.withLock { $0.processExited(status: status) }
                exit.fire(status)
                LiveChildren.remove(process.processIdentifier)
            }
            do {
                try process.run()
            } catch {
                throw InferenceError(.serverError, "could not start '\(executable)': \(error)")
            }
            let pid = process.processIdentifier
            LiveChildren.insert(pid)
            if exit.value != nil { LiveChildren.remove(pid) }
            Self.drain(output.fileHandleForReading, into: logs)
            return (pid, ProcessBox(process))
        }
        _ = state.withLock { $0.spawned(pid: pid) }
        return LlamaProcess(
            model: model,
            settings: settings,
            port: port,
            pid: pid,
            logs: logs,
            state: state,
            exit: exit,
            process: box
        )
    }

    /// The command line: on Linux wrapped in `setpriv --pdeathsig KILL` and the parent check (see the type's docs).
    static func command(executable: String, arguments: [String]) -> [String] {
        #if os(Linux)
        if let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: LlamaServerSettings.isExecutableFile) {
            let check = #"[ "$PPID" = "$1" ] || exit 125; shift; exec "$@""#
            let wrapper = [setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c", check, "llama-server-guard"]
            return wrapper + [String(getpid()), executable] + arguments
        }
        #endif
        return [executable] + arguments
    }

    /// Reads the pipe on a dedicated thread with blocking reads until the server's end closes.
    private static func drain(_ handle: FileHandle, into logs: LogRing) {
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
        thread.name = "swift-ml.llama-server-output"
        thread.start()
    }

    private func waitUntilHealthy() async throws {
        let deadline = startedAt + settings.healthDeadline
        var request = HTTPClientRequest(url: baseURL + "/health")
        request.method = .GET
        // No keep-alive: llama-server waits for open connections when it is stopped.
        request.headers.add(name: "Connection", value: "close")
        while true {
            if let status = exit.value { throw await startFailure(status: status) }
            let remaining = deadline - .now
            if remaining <= .zero {
                let action = state.withLock {
                    $0.healthDeadlinePassed("no 200 from /health within \(settings.healthDeadline)")
                }
                perform(action)
                await terminate()
                throw InferenceError(
                    .timeout,
                    "llama-server (pid \(pid), port \(port)) did not become ready within \(settings.healthDeadline); "
                        + "it was stopped. Last output:\n" + recentLogs(20).joined(separator: "\n")
                )
            }
            if await isHealthy(request, timeout: min(remaining, .seconds(2))), isOurs(),
                state.withLock({ $0.healthy() }) == .markReady
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether `GET /health` answers 200. Raced against the exit: llama-server binds its port before it loads the
    /// model, so a server that then fails leaves a request hanging in the listen backlog until it times out.
    private func isHealthy(_ request: HTTPClientRequest, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                let timeout = TimeAmount.nanoseconds(Int64(timeout.timeInterval * 1e9))
                guard let response = try? await HTTPClient.shared.execute(request, timeout: timeout) else {
                    return false
                }
                _ = try? await response.body.collect(upTo: 1 << 16)
                return response.status == .ok
            }
            group.addTask {
                _ = await self.exit.wait()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }

    /// Whether the server that answered on our port is our process (not one that won the port race): alive, not
    /// failed to bind, and either it said "listening on …:PORT" or it has run long enough to have bound its port
    /// (llama-server binds before it loads the model and exits at once when it cannot).
    private func isOurs() -> Bool {
        guard exit.value == nil, !lostPortRace else { return false }
        return ContinuousClock.now - startedAt > .seconds(1)
            || recentLogs().contains { $0.contains("listening on") && $0.hasSuffix(":\(port)") }
    }

    /// Whether the server could not bind its port (someone else has it).
    var lostPortRace: Bool {
        recentLogs().contains { $0.contains("couldn't bind") || $0.contains("Address already in use") }
    }

    private func startFailure(status: Int32) async -> InferenceError {
        await logs.waitUntilDrained(timeout: .seconds(1))
        let tail = recentLogs(20).joined(separator: "\n")
        if lostPortRace {
            return InferenceError(
                .serverError,
                "llama-server could not bind port \(port) on \(settings.host) (in use by another process); "
                    + "exit status \(status). Last output:\n" + tail
            )
        }
        return InferenceError(
            .serverError,
            "llama-server exited with status \(status) before it was ready. Last output:\n" + tail
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
        if await exit.wait(timeout: settings.stopGracePeriod, cancellable: false) == nil {
            perform(state.withLock { $0.gracePeriodExpired() })
        }
        _ = await exit.waitUninterruptibly()
        await logs.waitUntilDrained(timeout: .seconds(1))
        logs.closeFile()
    }

    private func perform(_ action: LlamaProcessState.Action) {
        switch action {
        case .terminate(let pid): if exit.value == nil { kill(pid, SIGTERM) }
        case .kill(let pid): if exit.value == nil { kill(pid, SIGKILL) }
        case .none, .pollHealth, .markReady, .reportCrash, .reportStartFailure: break
        }
    }

    /// The host to connect to for a bind address: loopback for the wildcard, brackets around IPv6.
    static func connectHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "[::]": return "[::1]"
        default: return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}

/// Keeps Foundation's `Process` alive (it reaps the child) without claiming it is thread-safe.
final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
