import Foundation

/// What a ``ManagedServerProcess`` runs and how it is supervised: the executable and its arguments (an array,
/// never a shell string), extra environment, where it listens, how its health is checked, and the time limits.
public struct ManagedServerCommand: Sendable {
    /// The server's name in messages and errors, e.g. `llama-server`.
    public var name: String
    /// The executable's absolute path.
    public var executable: String
    /// The arguments for a server on `port`.
    public var arguments: @Sendable (_ port: Int) -> [String]
    /// Variables added to (or replacing) the inherited environment.
    public var environment: [String: String]
    /// Interface the server binds; loopback unless told otherwise.
    public var host: String
    /// Fixed port, or `nil` for a free one.
    public var port: Int?
    /// The path that answers 200 once the server is ready (503 or no answer before).
    public var healthPath: String
    /// How long to wait for the health path to answer 200.
    public var healthDeadline: Duration
    /// How long SIGTERM may take before SIGKILL.
    public var stopGracePeriod: Duration
    /// Lines of the server's output kept in memory.
    public var logCapacity: Int
    /// Also append the server's output to this file.
    public var logFile: String?
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
        executable: String,
        arguments: @escaping @Sendable (_ port: Int) -> [String],
        environment: [String: String] = [:],
        host: String = "127.0.0.1",
        port: Int? = nil,
        healthPath: String = "/health",
        healthDeadline: Duration = .seconds(60),
        stopGracePeriod: Duration = .seconds(5),
        logCapacity: Int = 500,
        logFile: String? = nil,
        portInUseMarkers: [String] = ["Address already in use"],
        announcesPort: @escaping @Sendable (_ line: String, _ port: Int) -> Bool,
        bindsWithin: Duration? = nil,
        startSigns: ServerStartSigns = ServerStartSigns()
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.host = host
        self.port = port
        self.healthPath = healthPath
        self.healthDeadline = healthDeadline
        self.stopGracePeriod = stopGracePeriod
        self.logCapacity = logCapacity
        self.logFile = logFile
        self.portInUseMarkers = portInUseMarkers
        self.announcesPort = announcesPort
        self.bindsWithin = bindsWithin
        self.startSigns = startSigns
    }
}
