/// The lifecycle of a managed server as a pure value: events in, the action to take out.
/// Kept apart from processes and sockets so every transition is unit-tested.
public struct LlamaProcessState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case idle
        case starting(pid: Int32)
        case ready(pid: Int32)
        case stopping(pid: Int32)
        /// The process ended; `expected` when we stopped it.
        case exited(status: Int32, expected: Bool)
        case failed(String)
    }

    public enum Action: Sendable, Equatable {
        case none
        case pollHealth
        case markReady
        case sendTerminate(pid: Int32)
        case reportCrash(status: Int32)
        case reportStartFailure(String)
    }

    public private(set) var phase: Phase = .idle

    public init() {}

    public mutating func spawned(pid: Int32) -> Action {
        guard case .idle = phase else { return .none }
        phase = .starting(pid: pid)
        return .pollHealth
    }

    public mutating func healthy() -> Action {
        guard case .starting(let pid) = phase else { return .none }
        phase = .ready(pid: pid)
        return .markReady
    }

    public mutating func healthDeadlinePassed(_ message: String) -> Action {
        guard case .starting(let pid) = phase else { return .none }
        phase = .stopping(pid: pid)
        return .reportStartFailure(message)
    }

    public mutating func stopRequested() -> Action {
        switch phase {
        case .starting(let pid), .ready(let pid):
            phase = .stopping(pid: pid)
            return .sendTerminate(pid: pid)
        case .idle:
            phase = .exited(status: 0, expected: true)
            return .none
        default:
            return .none
        }
    }

    public mutating func processExited(status: Int32) -> Action {
        switch phase {
        case .starting:
            phase = .exited(status: status, expected: false)
            return .reportStartFailure("llama-server exited with status \(status) while starting")
        case .ready:
            phase = .exited(status: status, expected: false)
            return .reportCrash(status: status)
        case .stopping:
            phase = .exited(status: status, expected: true)
            return .none
        default:
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
        default: return false
        }
    }
}
