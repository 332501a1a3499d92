/// What a server's health answers and output say about its start: ready, not yet, or failed for good while the
/// process still runs. Part of a ``ManagedServerCommand``; ``ManagedServerProcess``'s health wait asks
/// ``verdict(health:output:isOurs:)`` after every poll, so this is the one place that decides.
///
/// A failure is told apart from "not ready yet" by the server's own signs: mlx_lm.server answers `/health` with
/// 503 `{"status": "unavailable"}` once its generation thread died loading the model (and logs "generation thread
/// died" with the Python traceback), while llama-server answers 503 "Loading model" while it loads. Waiting out the
/// health deadline on a failure would hide the cause for minutes; the start fails at once with the last output.
public struct ServerStartSigns: Sendable, Equatable {
    /// One answer of the health path.
    public struct HealthAnswer: Sendable, Equatable {
        public var status: Int
        /// The start of the body.
        public var body: String

        public init(status: Int, body: String) {
            self.status = status
            self.body = body
        }
    }

    /// How the start stands.
    public enum Verdict: Sendable, Equatable {
        case ready
        case notYet
        /// Failed for good: why, in a few words (the caller adds the output's tail).
        case failed(String)
    }

    /// Fragments of a non-200 health body that mean the server failed (not that it is still loading).
    public var failedHealthBodies: [String]
    /// Output fragments that mean the start failed (a model that did not load).
    public var failedOutput: [String]
    /// An output fragment that says the model is loaded, for a server that answers its health path while it still
    /// loads (mlx_lm.server loads in a background thread): ready only once it appeared. `nil`: 200 is enough.
    public var loadedOutput: String?

    public init(failedHealthBodies: [String] = [], failedOutput: [String] = [], loadedOutput: String? = nil) {
        self.failedHealthBodies = failedHealthBodies
        self.failedOutput = failedOutput
        self.loadedOutput = loadedOutput
    }

    /// The start's state from the last health answer (`nil`: no answer), the server's recent output, and whether
    /// the answering server is ours (see ``ManagedServerCommand/announcesPort``).
    public func verdict(health: HealthAnswer?, output: [String], isOurs: Bool) -> Verdict {
        if let line = output.first(where: { line in failedOutput.contains { line.contains($0) } }) {
            return .failed("its output says \"\(line)\"")
        }
        guard let health else { return .notYet }
        if health.status != 200, isOurs, failedHealthBodies.contains(where: { health.body.contains($0) }) {
            return .failed("its health check answered \(health.status) \(health.body)")
        }
        guard health.status == 200, isOurs else { return .notYet }
        if let loadedOutput, !output.contains(where: { $0.contains(loadedOutput) }) { return .notYet }
        return .ready
    }
}
