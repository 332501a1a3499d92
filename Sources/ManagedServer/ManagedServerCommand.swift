import Foundation

/// What a ``ManagedServerProcess`` runs and how it is supervised: the executable, where it listens, the time limits
/// and the log (its ``ManagedServerOptions``), its arguments (an array, never a shell string), extra environment, and
/// how its health and start are told.
public struct ManagedServerCommand: Sendable, ManagedServerSupervised {
    /// The server's name in messages and errors, e.g. `llama-server`.
    public var name: String
    /// The executable (named in messages as given), where it listens, time limits and log.
    public var supervision: ManagedServerOptions
    /// The arguments for a server on `port`.
    public var arguments: @Sendable (_ port: Int) -> [String]
    /// Variables added to (or replacing) the inherited environment.
    public var environment: [String: String]
    /// The path that answers 200 once the server is ready (503 or no answer before).
    public var healthPath: String
    /// Output fragments that mean the port was taken by another process: the start is retried on a new free port.
    public var portInUseMarkers: [String]
    /// Whether an output line says the server now listens on `port` (proof that a healthy answer is from ours).
    public var announcesPort: @Sendable (_ line: String, _ port: Int) -> Bool
    /// For a server that binds its port at once and exits when it cannot: after this long alive, a healthy answer
    /// counts as ours even without the announcement. `nil`: only the announcement counts.
    public var bindsWithin: Duration?
    /// What its health answers and output say about the start beyond 200: a failure while the process still runs
    /// (the start fails at once with the output's tail), or a model still loading behind a healthy answer.
    public var startSigns: ServerStartSigns

    public init(
        name: String,
        supervision: ManagedServerOptions,
        arguments: @escaping @Sendable (_ port: Int) -> [String],
        environment: [String: String] = [:],
        healthPath: String = "/health",
        portInUseMarkers: [String] = ["Address already in use"],
        announcesPort: @escaping @Sendable (_ line: String, _ port: Int) -> Bool,
        bindsWithin: Duration? = nil,
        startSigns: ServerStartSigns = ServerStartSigns()
    ) {
        self.name = name
        self.supervision = supervision
        self.arguments = arguments
        self.environment = environment
        self.healthPath = healthPath
        self.portInUseMarkers = portInUseMarkers
        self.announcesPort = announcesPort
        self.bindsWithin = bindsWithin
        self.startSigns = startSigns
    }
}
