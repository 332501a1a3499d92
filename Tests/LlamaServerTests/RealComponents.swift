import Foundation
import Inference
import LlamaServer
import Testing

/// The real llama-server and model that `scripts/setup` installs. Missing components fail the tests (they are
/// never skipped): run `scripts/setup`.
enum RealComponents {
    static let paths = MLPaths()

    static func requireServerAndModel() throws -> (server: String, model: String) {
        guard FileManager.default.isExecutableFile(atPath: paths.llamaServer) else {
            throw InferenceError(.backendNotAvailable, "llama-server missing at \(paths.llamaServer): run scripts/setup")
        }
        guard FileManager.default.isReadableFile(atPath: paths.defaultModel) else {
            throw InferenceError(.modelNotFound, "default model missing at \(paths.defaultModel): run scripts/setup")
        }
        return (paths.llamaServer, paths.defaultModel)
    }

    /// A scratch directory removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Whether a process with this pid exists (and is not a zombie).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return !status.contains("State:\tZ")
    }

    static func waitUntilDead(_ pid: Int32, within: Duration) async -> Bool {
        let end = ContinuousClock.now + within
        while ContinuousClock.now < end {
            if !isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isAlive(pid)
    }
}

/// One model shared by the tests that only read from it (loading is cheap, but two cores are not many).
actor SharedModel {
    static let shared = SharedModel()
    private var model: LlamaServerModel?

    func get() async throws -> LlamaServerModel {
        if let model {
            if model.process?.isRunning == true { return model }
            await model.close()
        }
        let (_, path) = try RealComponents.requireServerAndModel()
        let model = try await LlamaServerModel(modelPath: path, settings: LlamaServerSettings(parallelSlots: 2))
        self.model = model
        return model
    }
}

/// Every suite that uses the real llama-server runs inside this one, one test at a time: they share a server with
/// two slots and a two-core machine, and overlapping them only measures contention.
@Suite(.serialized) struct RealServerTests {}
