import AsyncHTTPClient
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
/// - Start: the model file and executable are checked first; the server gets a free port (a port taken by
///   someone else between our check and its bind is retried on a new port) and is ready when `GET /health`
///   answers 200 within the deadline. If it exits or never becomes healthy the error says so, with its exit
///   status and the last lines of its output.
/// - Output (stdout and stderr) is read continuously into a bounded ring (``recentLogs``), optionally a file.
/// - Stop: SIGTERM, a grace period, then SIGKILL; idempotent.
/// - No orphans: on Linux the server is started through `setpriv --pdeathsig KILL` from ``SpawnThread``'s
///   permanent thread, so the kernel kills it when our process dies, even by SIGKILL. On macOS there is no
///   parent-death signal; the server is stopped when the model is closed or the program exits normally.
public final class LlamaProcess: Sendable {
    public let model: String
    public let settings: LlamaServerSettings
    public let port: Int
    public let pid: Int32
    private let logs: LogRing
    private let state: Locked<LlamaProcessState>
    private let exit: ExitSignal
    private let process: ProcessBox

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(port)" }

    /// The server's most recent output lines.
    public func recentLogs(_ count: Int? = nil) -> [String] { logs.tail(count) }

    /// The exit status once the process has ended (128 + signal when killed by a signal).
    public var exitStatus: Int32? { exit.status }

    /// Whether the process ends within `duration` (or has ended already).
    public func hasExited(within duration: Duration) async -> Bool {
        let end = ContinuousClock.now + duration
        while exit.status == nil && ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(10)) }
        return exit.status != nil
    }

    /// Whether the process is still running.
    public var isRunning: Bool { exit.status == nil }

    /// Waits until the process has ended and returns its exit status; `nil` when the waiting task is cancelled.
    public func waitForExit() async -> Int32? { await exit.waitCancellable() }

    private init(model: String, settings: LlamaServerSettings, port: Int, pid: Int32, logs: LogRing, exit: ExitSignal, process: ProcessBox) {
        self.model = model
        self.settings = settings
        self.port = port
        self.pid = pid
        self.logs = logs
        self.exit = exit
        self.process = process
        var state = LlamaProcessState()
        _ = state.spawned(pid: pid)
        self.state = Locked(state)
    }

    /// Starts a server for `model` and waits until it is ready.
    public static func start(model: String, settings: LlamaServerSettings = LlamaServerSettings()) async throws -> LlamaProcess {
        guard FileManager.default.isReadableFile(atPath: model) else {
            throw InferenceError(.modelNotFound, "model file '\(model)' does not exist or cannot be read")
        }
        guard FileManager.default.isExecutableFile(atPath: settings.executable) else {
            throw InferenceError(
                .backendNotAvailable,
                "llama-server not found at '\(settings.executable)': run scripts/setup or set SWIFT_ML_LLAMA_SERVER"
            )
        }
        if let port = settings.port, !PortProbe.isFree(port, host: settings.host) {
            throw InferenceError(.serverError, "port \(port) on \(settings.host) is already in use")
        }
        var attempt = 0
        while true {
            attempt += 1
            let port = try settings.port ?? PortProbe.freePort(host: settings.host)
            let process = try await spawn(model: model, settings: settings, port: port)
            do {
                try await process.waitUntilHealthy()
                return process
            } catch let error as InferenceError {
                let lostPortRace = settings.port == nil && process.recentLogs().contains { $0.contains("bind") || $0.contains("Address already in use") }
                if lostPortRace && attempt < 3 { continue }
                throw error
            }
        }
    }

    private static func spawn(model: String, settings: LlamaServerSettings, port: Int) async throws -> LlamaProcess {
        let logs = LogRing(capacity: settings.logCapacity, filePath: settings.logFile)
        let exit = ExitSignal()
        let arguments = settings.arguments(model: model, port: port)
        let (pid, box) = try await SpawnThread.shared.run { () throws -> (Int32, ProcessBox) in
            let process = Process()
            #if os(Linux)
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--pdeathsig", "KILL", "--", settings.executable] + arguments
            } else {
                process.executableURL = URL(fileURLWithPath: settings.executable)
                process.arguments = arguments
            }
            #else
            process.executableURL = URL(fileURLWithPath: settings.executable)
            process.arguments = arguments
            #endif
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            process.terminationHandler = { process in
                let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
                exit.fire(status)
            }
            do {
                try process.run()
            } catch {
                throw InferenceError(.serverError, "could not start '\(settings.executable)': \(error)")
            }
            // A dedicated thread drains the output with blocking reads, so the server never stalls on a full pipe.
            let reader = output.fileHandleForReading
            let drain = Thread {
                while true {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    logs.append(data)
                }
                try? reader.close()
            }
            drain.name = "swift-ml.llama-server-output"
            drain.start()
            try? output.fileHandleForWriting.close()
            return (process.processIdentifier, ProcessBox(process))
        }
        return LlamaProcess(model: model, settings: settings, port: port, pid: pid, logs: logs, exit: exit, process: box)
    }

    private func waitUntilHealthy() async throws {
        let deadline = ContinuousClock.now + settings.healthDeadline
        let url = baseURL + "/health"
        while true {
            if let status = exit.status {
                _ = state.withLock { $0.processExited(status: status) }
                throw InferenceError(
                    .serverError,
                    "llama-server exited with status \(status) before it was ready. Last output:\n" + recentLogs(20).joined(separator: "\n")
                )
            }
            if ContinuousClock.now >= deadline {
                _ = state.withLock { $0.healthDeadlinePassed("deadline") }
                await stop()
                throw InferenceError(
                    .timeout,
                    "llama-server did not become ready within \(settings.healthDeadline). Last output:\n" + recentLogs(20).joined(separator: "\n")
                )
            }
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            // No keep-alive: llama-server waits for open connections when it is stopped.
            request.headers.add(name: "Connection", value: "close")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
                if response.status == .ok {
                    _ = state.withLock { $0.healthy() }
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Stops the server: SIGTERM, then SIGKILL after the grace period. Returns when the process has ended.
    public func stop() async {
        _ = state.withLock { $0.stopRequested() }
        if exit.status == nil {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + settings.stopGracePeriod
            while exit.status == nil && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            if exit.status == nil { kill(pid, SIGKILL) }
        }
        let status = await exit.wait()
        _ = state.withLock { $0.processExited(status: status) }
        logs.close()
    }
}

/// Keeps Foundation's `Process` alive (it reaps the child) without claiming it is thread-safe.
final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

/// A one-shot signal carrying an exit status, awaited by any number of tasks.
final class ExitSignal: Sendable {
    private struct State {
        var status: Int32?
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Int32?, Never>] = [:]
    }
    private let state = Locked(State())

    var status: Int32? { state.withLock { $0.status } }

    func fire(_ status: Int32) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int32?, Never>] in
            guard state.status == nil else { return [] }
            state.status = status
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    /// Waits for the exit status; returns `nil` if the waiting task is cancelled first.
    func waitCancellable() async -> Int32? {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
                let status = state.withLock { state -> Int32?? in
                    if let status = state.status { return .some(status) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let status { continuation.resume(returning: status) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    /// Waits for the exit status (not cancellable: used where the process is being stopped).
    func wait() async -> Int32 {
        while true {
            if let status = await waitCancellable() { return status }
            if let status { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Finds free ports.
enum PortProbe {
    /// A port the kernel considers free now (bind to port 0, read it back, close).
    static func freePort(host: String) throws -> Int {
        try withSocket(host: host, port: 0) { port in
            guard let port else { throw InferenceError(.serverError, "could not find a free port on \(host)") }
            return port
        }
    }

    static func isFree(_ port: Int, host: String) -> Bool {
        (try? withSocket(host: host, port: port) { $0 != nil }) ?? false
    }

    private static func withSocket<T>(host: String, port: Int, _ body: (Int?) throws -> T) throws -> T {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw InferenceError(.serverError, "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return try body(nil) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return try body(Int(UInt16(bigEndian: address.sin_port)))
    }
}
