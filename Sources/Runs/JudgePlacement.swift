import Foundation
import MLErrors

/// Where a judge runs, decided once from its settings and the model the run already has loaded — the one policy of
/// `ml probe`, `ml score` and the checkpoint agent:
///
/// - a judge URL: that server (``remote(url:)``);
/// - the judge is the file already loaded (the model under test, or the base model the agent's adapters were
///   trained on): that model's server judges — for a checkpoint, with its adapter off — instead of a second copy
///   in memory (``sharedServer``);
/// - another local model: a server of its own (``localServer(modelPath:)``);
/// - a ``Evaluation/Judge`` the caller built (tests, fakes): ``given``.
public enum JudgePlacement: Sendable, Equatable {
    case remote(url: String)
    case sharedServer
    case localServer(modelPath: String)
    case given

    /// Places the judge of `settings` beside a run whose model was loaded from `sharedModelPath` (nil: a remote
    /// model, or none).
    public init(_ settings: JudgeSettings, sharedModelPath: String?,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = settings.localModelPath(environment: environment) else {
            self = .remote(url: settings.url ?? "")
            return
        }
        if let sharedModelPath, ModelLoader.samePath(sharedModelPath, path) {
            self = .sharedServer
        } else {
            self = .localServer(modelPath: path)
        }
    }

    /// The managed servers a run keeps on this machine at once: 2 while a local judge of another model runs beside
    /// the model's server (they divide the cores), else 1.
    public var managedServers: Int {
        if case .localServer = self { return 2 }
        return 1
    }

    /// What the judge of `settings` is, for logs: its model file, or its server and model name (never the API key).
    public static func description(of settings: JudgeSettings,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let url = settings.url { return "\(URLRedaction.printable(url)) (\(settings.modelName ?? "default"))" }
        return settings.localModelPath(environment: environment) ?? ""
    }
}
