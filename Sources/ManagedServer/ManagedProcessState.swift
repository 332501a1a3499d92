/// The lifecycle of a managed server as a pure value: events in, the action to take out.
///
/// ``ManagedServerProcess`` feeds it what happens (spawned, healthy, deadline passed, stop requested, grace period over,
/// process exited) and performs the actions it returns (send SIGTERM, send SIGKILL, report). Kept apart from
/// processes and sockets so every transition is unit-tested. Events that do not apply in a phase are ignored
/// (action `.none`), so racing events (a crash during a stop, a second stop) are harmless.
///
/// ```
/// idle ─spawned→ starting ─healthy→ ready ─exited→ exited(expected: false)   (a crash)
///                   │  └─exited→ failed               │
///                   └─deadline→ stopping ←─stop───────┘ ─exited→ exited(expected: true) or failed
/// ```
public struct ManagedProcessState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case idle
        case starting(pid: Int32)
        case ready(pid: Int32)
        /// SIGTERM sent; `failure` is why, when the stop ends a failed start.
        case stopping(pid: Int32, failure: String?)
        /// The process ended after it was ready; `expected` when we stopped it.
        case exited(status: Int32, expected: Bool)
        /// The process never became ready.
        case failed(String)
    }

    public enum Action: Sendable, Equatable {
        case none
        case pollHealth
        case markReady
        /// Send SIGTERM.
        case terminate(pid: Int32)
        /// Send SIGKILL.
        case kill(pid: Int32)
        case reportCrash(status: Int32)
        case reportStartFailure(String)
    }

    public private(set) var phase: Phase = .idle
    /// The server's name in messages, e.g. `llama-server`.
    public let name: String

    public init(name: String = "the server") { self.name = name }

    /// The process was started.
    public mutating func spawned(pid: Int32) -> Action {
        guard case .idle = phase else { return .none }
        phase = .starting(pid: pid)
        return .pollHealth
    }

    /// `GET /health` answered 200.
    public mutating func healthy() -> Action {
        guard case .starting(let pid) = phase else { return .none }
        phase = .ready(pid: pid)
        return .markReady
    }

    /// The server was not ready in time: stop it; the failure is reported once it has exited.
    public mutating func healthDeadlinePassed(_ message: String) -> Action {
        startFailed(message)
    }

    /// The server still runs but said it failed (or never got ready): stop it; the failure is reported once it has
    /// exited.
    public mutating func startFailed(_ message: String) -> Action {
        guard case .starting(let pid) = phase else { return .none }
        phase = .stopping(pid: pid, failure: message)
        return .terminate(pid: pid)
    }

    /// Someone asked to stop the server.
    public mutating func stopRequested() -> Action {
        switch phase {
        case .starting(let pid), .ready(let pid):
            phase = .stopping(pid: pid, failure: nil)
            return .terminate(pid: pid)
        default:
            return .none
        }
    }

    /// SIGTERM was not enough within the grace period.
    public mutating func gracePeriodExpired() -> Action {
        guard case .stopping(let pid, _) = phase else { return .none }
        return .kill(pid: pid)
    }

    /// The process ended with `status` (128 + signal when killed by a signal).
    public mutating func processExited(status: Int32) -> Action {
        switch phase {
        case .idle, .starting:
            // `idle`: it died before its spawn was even recorded.
            let message = "\(name) exited with status \(status) before it was ready"
            phase = .failed(message)
            return .reportStartFailure(message)
        case .ready:
            phase = .exited(status: status, expected: false)
            return .reportCrash(status: status)
        case .stopping(_, let failure?):
            phase = .failed(failure)
            return .reportStartFailure(failure)
        case .stopping(_, nil):
            phase = .exited(status: status, expected: true)
            return .none
        case .exited, .failed:
            return .none
        }
    }

    /// Whether the server can take requests.
    public var isReady: Bool {
        if case .ready = phase { return true }
        return false
    }

    /// Whether the process may still be running.
    public var isAlive: Bool {
        switch phase {
        case .starting, .ready, .stopping: return true
        case .idle, .exited, .failed: return false
        }
    }
}
