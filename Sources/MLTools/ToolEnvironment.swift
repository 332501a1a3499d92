import Foundation
import Recording

/// What every tool of one server shares: the directories it may touch and where results live by default.
public struct ToolEnvironment: Sendable {
    public var roots: FileRoots
    /// The agent's score store (SQLite) that `ml_status` and `ml_report` read by default.
    public var store: String?
    /// The training-data workspace (a SQLite path or `postgres://` URL) `ml_status` counts.
    public var workspace: String?
    /// The InfluxDB `ml_status` reads training and generation progress from; nil: none configured.
    public var influx: InfluxConfiguration?

    /// The backends registered here and whether each can run (`ml backends`).
    public var backends: @Sendable () -> [BackendAvailability]
    /// The models `ml_generate` uses, loaded once per server; nil: the tool says there is no model loader.
    public var models: ModelPool?
    /// The judge of judge suites (`ml_score`, `ml_probe` with judging); nil: judging is refused.
    public var judge: SharedJudge?

    public init(roots: FileRoots, store: String? = nil, workspace: String? = nil,
                backends: @escaping @Sendable () -> [BackendAvailability] = { [] }, models: ModelPool? = nil,
                judge: SharedJudge? = nil, influx: InfluxConfiguration? = nil) {
        self.roots = roots
        self.store = store
        self.workspace = workspace
        self.backends = backends
        self.models = models
        self.judge = judge
        self.influx = influx
    }

    /// Closes the models and the judge this environment loaded (at shutdown).
    public func close() async {
        await models?.closeAll()
        await judge?.close()
    }
}
