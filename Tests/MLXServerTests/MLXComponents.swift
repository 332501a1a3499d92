import Foundation
import Inference
import InferenceTesting
import MLXServer
import Testing
import LocalModels

/// The real Python MLX that `scripts/setup` installs, and a tiny random llama in MLX layout made from it once per
/// machine (`scripts/tests/make_tiny_mlx_model.py`, cached in `$SWIFT_ML_HOME/fixtures/`). A missing MLX install
/// fails the tests (they are never skipped): run `scripts/setup`.
enum MLXComponents {
    static let paths = MLPaths()
    static let python = MLXServerSettings.defaultPython()
    static let tinyModel = (paths.home as NSString).appendingPathComponent("fixtures/tiny-mlx-llama-v2")
    static let fixtureScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/tests/make_tiny_mlx_model.py").path

    /// The tiny model's directory, made first when missing.
    static func requireTinyModel() async throws -> String {
        if let problem = MLXAvailability.problem(python: python) {
            throw InferenceError(.backendNotAvailable, problem)
        }
        if FileManager.default.fileExists(atPath: tinyModel + "/config.json") { return tinyModel }
        let (status, output) = try await RealComponents.run(python, [fixtureScript, tinyModel])
        guard status == 0 else {
            throw InferenceError(.serverError, "making the tiny MLX model failed: \(output)")
        }
        return tinyModel
    }
}

/// One server on the tiny model shared by the tests that only read from it, started with memory limits so a test
/// can read them back. Starting Python MLX takes seconds on two busy cores.
actor SharedMLXModel {
    static let shared = SharedMLXModel()
    static let cacheLimit = 12_345_678
    static let memoryLimit = 3_000_000_000
    private var model: MLXServerModel?

    func get() async throws -> MLXServerModel {
        if let model {
            if model.process?.isRunning == true { return model }
            await model.close()
        }
        let path = try await MLXComponents.requireTinyModel()
        let options = LoadOptions(parallelSlots: 2, cacheLimitBytes: Self.cacheLimit, memoryLimitBytes: Self.memoryLimit)
        let model = try await MLXServerModel(modelPath: path, settings: MLXServerSettings().applying(options))
        self.model = model
        return model
    }
}

/// Every suite that uses a real mlx_lm.server runs inside this one, one test at a time.
@Suite(.serialized) struct RealMLXServerTests {}
