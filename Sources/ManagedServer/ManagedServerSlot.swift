import Foundation
import Inference
import Synchronization

/// What a ``ManagedServerSlot`` holds: a running server and whatever a backend keeps beside it (its HTTP client).
public protocol ManagedServerInstance: Sendable {
    /// The supervised process.
    var server: ManagedServerProcess { get }
    /// Closes the instance's connections; called before its process is stopped or replaced.
    func shutdownConnections() async
}

/// The one managed server of a model (llama-server, mlx_lm.server): started on first use, replaced by a fresh one
/// when it has died (or an error when restarting is disabled), stopped by ``close()`` or, dropped unclosed, sent
/// SIGTERM. ``run(_:)`` runs a generation against it, failing as soon as the server exits; a generation that
/// failed before its first token because the server had died is tried once more on a fresh server.
///
/// Starting is serialized, so concurrent requests after a crash start one server, not several.
public final class ManagedServerSlot<Instance: ManagedServerInstance>: Sendable {
    private struct State {
        var instance: Instance?
        var closed = false
        var restarts = 0
    }

    /// The server's name in messages (`llama-server`).
    public let name: String
    /// The model's id in messages.
    public let modelID: String
    public let restartAfterCrash: Bool
    private let onEvent: (@Sendable (String) -> Void)?
    private let start: @Sendable () async throws -> Instance
    private let state = Mutex(State())
    private let starting = StartGate()

    /// `start` starts a server and makes its instance (a fresh one each call); `supervision` says whether a dead
    /// server is replaced and whom to tell of exits and restarts (its `onEvent`).
    public init(
        name: String,
        modelID: String,
        supervision: ManagedServerOptions,
        start: @escaping @Sendable () async throws -> Instance
    ) {
        self.name = name
        self.modelID = modelID
        self.restartAfterCrash = supervision.restartAfterCrash
        self.onEvent = supervision.onEvent
        self.start = start
    }

    /// The current instance, if any (running or not).
    public var current: Instance? { state.withLock { $0.instance } }

    /// How many times a crashed server was replaced.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// The running server, starting a fresh one when there is none or the last one died.
    public func instance() async throws -> Instance {
        try await starting.serialize { [self] in
            let (current, closed) = state.withLock { state in (state.instance, state.closed) }
            if closed { throw InferenceError(.closed, "the model \(modelID) is closed") }
            if let current {
                if current.server.isRunning { return current }
                let status = current.server.exitStatus ?? -1
                guard restartAfterCrash else {
                    throw InferenceError(.serverError, "\(name) exited with status \(status) and restarting is disabled")
                }
                await current.shutdownConnections()
                let restarts = state.withLock { state -> Int in
                    state.restarts += 1
                    return state.restarts
                }
                onEvent?("\(name) (pid \(current.server.pid)) exited with status \(status); starting a fresh one (restart \(restarts))")
            }
            let instance = try await start()
            if let current {
                onEvent?("\(name) restarted: pid \(instance.server.pid) replaces pid \(current.server.pid)")
            }
            state.withLock { $0.instance = instance }
            return instance
        }
    }

    /// A generation running `body` against the server into the generation's own sink, failing as soon as the server
    /// process dies meanwhile. One that fails before its first token because the server had died is tried once
    /// more on a fresh server (when restarting is enabled).
    public func run(_ body: @escaping @Sendable (Instance, GenerationSink) async throws -> GenerationOutcome) -> Generation {
        Generation.start { [self] sink in
            let instance = try await self.instance()
            do {
                return try await attempt(instance, sink: sink, body)
            } catch {
                guard sink.deliveredTokens == 0, restartAfterCrash, !Task.isCancelled,
                    await instance.server.hasExited(within: .seconds(1))
                else { throw error }
                return try await attempt(try await self.instance(), sink: sink, body)
            }
        }
    }

    private func attempt(
        _ instance: Instance,
        sink: GenerationSink,
        _ body: @escaping @Sendable (Instance, GenerationSink) async throws -> GenerationOutcome
    ) async throws -> GenerationOutcome {
        let (name, pid, onEvent) = (name, instance.server.pid, onEvent)
        return try await instance.server.failingOnExit(
            during: "the generation",
            onExit: { status in onEvent?("\(name) (pid \(pid)) exited with status \(status) during a generation") }
        ) { try await body(instance, sink) }
    }

    /// Closes the slot: later requests fail as closed; the server's connections are closed first (llama-server
    /// waits for open connections when stopping), then it is stopped.
    public func close() async {
        let instance = state.withLock { state -> Instance? in
            state.closed = true
            defer { state.instance = nil }
            return state.instance
        }
        if let instance {
            await instance.shutdownConnections()
            await instance.server.stop()
        }
    }

    deinit {
        // Dropped without close(): still stop the server (its client shuts itself down).
        if let instance = state.withLock({ $0.instance }), instance.server.isRunning {
            kill(instance.server.pid, SIGTERM)
        }
    }
}
