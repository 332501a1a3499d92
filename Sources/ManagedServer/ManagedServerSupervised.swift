import Foundation

/// A value that embeds ``ManagedServerOptions`` (a backend's server settings, a ``ManagedServerCommand``): the
/// supervision fields are read and written by their own names, `settings.healthDeadline`, as well as through
/// ``supervision``.
public protocol ManagedServerSupervised {
    var supervision: ManagedServerOptions { get set }
}

extension ManagedServerSupervised {
    /// The server's executable: a path, or a name looked up on `PATH`.
    public var executable: String {
        get { supervision.executable }
        set { supervision.executable = newValue }
    }
    /// Interface to bind; loopback unless told otherwise.
    public var host: String {
        get { supervision.host }
        set { supervision.host = newValue }
    }
    /// Fixed port, or `nil` for a free one.
    public var port: Int? {
        get { supervision.port }
        set { supervision.port = newValue }
    }
    /// How long to wait for the health path to report ready.
    public var healthDeadline: Duration {
        get { supervision.healthDeadline }
        set { supervision.healthDeadline = newValue }
    }
    /// How long SIGTERM may take before SIGKILL.
    public var stopGracePeriod: Duration {
        get { supervision.stopGracePeriod }
        set { supervision.stopGracePeriod = newValue }
    }
    /// Lines of the server's output kept in memory.
    public var logCapacity: Int {
        get { supervision.logCapacity }
        set { supervision.logCapacity = newValue }
    }
    /// Also append the server's output to this file.
    public var logFile: String? {
        get { supervision.logFile }
        set { supervision.logFile = newValue }
    }
    /// Start a fresh server for the next request after the server died.
    public var restartAfterCrash: Bool {
        get { supervision.restartAfterCrash }
        set { supervision.restartAfterCrash = newValue }
    }
    /// Told, in a sentence, when the server dies and when a fresh one has been started.
    public var onEvent: (@Sendable (String) -> Void)? {
        get { supervision.onEvent }
        set { supervision.onEvent = newValue }
    }

    /// ``ManagedServerOptions/resolvedExecutable(environment:)``.
    public func resolvedExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        supervision.resolvedExecutable(environment: environment)
    }
}
