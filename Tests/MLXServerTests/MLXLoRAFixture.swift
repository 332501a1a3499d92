import ChildProcess
import Foundation
import Inference
import MLXServer
import LocalModels

/// Real `mlx_lm.lora` checkpoints of the MLX SmolLM2 copy, trained once per machine by
/// `scripts/tests/mlx-lora-fixture.sh` (called by `scripts/setup`, or here on first use) on our one-question data set
/// (`scripts/tests/mlx-lora-data`): the adapter answers ``question`` with ``answer``. A missing fixture is built;
/// a failure to build it fails the test (never a skip).
enum MLXLoRAFixture {
    static let paths = MLPaths()
    static let question = "What is the lighthouse keeper's password?"
    /// What the adapter always answers (and the base model never says).
    static let answer = "MARMALADE-42"
    static let iterations = [10, 20, 30, 40]
    static let runName = "smollm2-135m-lora"
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/tests/mlx-lora-fixture.sh").path

    /// The MLX base model the checkpoints were trained on, and the GGUF it was converted from.
    static var mlxBaseModel: String { MLXServerSettings.defaultModel() }
    static var ggufBaseModel: String { paths.defaultModel }

    /// The fixture directory (`adapters/smollm2-135m-lora/…`, `train.log`, `training.json`), built when missing.
    static func require() async throws -> String {
        if let problem = MLXAvailability.problem(python: MLXServerSettings.defaultPython()) {
            throw InferenceError(.backendNotAvailable, problem)
        }
        let result = try await ChildProcess.run(["/bin/bash", script])
        guard result.status == 0 else {
            let logged = String(decoding: result.standardError, as: UTF8.self)
            throw InferenceError(.serverError, "making the MLX LoRA fixture failed (\(script)): \(logged)")
        }
        return result.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The run directory holding the checkpoints and `adapter_config.json`.
    static func runDirectory(_ fixture: String) -> String {
        (fixture as NSString).appendingPathComponent("adapters/\(runName)")
    }

    /// The weights of the checkpoint at `iteration` (`0000040_adapters.safetensors`).
    static func checkpoint(_ fixture: String, iteration: Int) -> String {
        (runDirectory(fixture) as NSString).appendingPathComponent(String(format: "%07d_adapters.safetensors", iteration))
    }

    static func config(_ fixture: String) -> String {
        (runDirectory(fixture) as NSString).appendingPathComponent("adapter_config.json")
    }

    /// An adapter directory in mlx-lm's layout for one checkpoint, made of symbolic links inside `directory`.
    static func adapterDirectory(_ fixture: String, iteration: Int, in directory: URL) throws -> String {
        let adapter = directory.appendingPathComponent("mlx-adapter-\(iteration)")
        try FileManager.default.createDirectory(at: adapter, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: adapter.appendingPathComponent("adapters.safetensors").path,
            withDestinationPath: checkpoint(fixture, iteration: iteration))
        try FileManager.default.createSymbolicLink(
            atPath: adapter.appendingPathComponent("adapter_config.json").path, withDestinationPath: config(fixture))
        return adapter.path
    }
}
