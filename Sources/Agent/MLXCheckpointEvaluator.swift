import Evaluation
import Foundation
import Inference
import Logging
import ModelFormats
import MLXServer
import Transport

/// Evaluates MLX LoRA checkpoints natively: each `NNNNNNN_adapters.safetensors` with its `adapter_config.json` is
/// copied into a work directory in mlx-lm's adapter layout and applied as it is — no conversion — by one
/// `mlx_lm.server` on the MLX base model, started at the first checkpoint and kept for the next ones: the adapter is
/// named in every request (``MLXAdapterModel``), so switching checkpoints reloads weights, not a process.
///
/// Probes, judge, content probes, sampling, concurrency, work directory and logging are those of `evaluator` (the
/// llama-server path's evaluator, whose probe-and-judge pass is reused as is), so the records are the same shape;
/// the work directory is removed on every path, and ``close()`` stops the server.
package final class MLXCheckpointEvaluator: CheckpointEvaluating {
    /// The probe and judge settings (its `baseModelPath` and `serverSettings` are not used).
    package let evaluator: CheckpointEvaluator
    /// The base model, a directory in MLX / Hugging Face layout.
    package let baseModelPath: String
    package let serverSettings: MLXServerSettings
    private let server: MLXBaseServer

    package init(evaluator: CheckpointEvaluator, baseModelPath: String, serverSettings: MLXServerSettings = MLXServerSettings()) {
        self.evaluator = evaluator
        self.baseModelPath = baseModelPath
        var settings = serverSettings
        // The probes' concurrency is what the server decodes at once: fewer slots would queue the rest unseen.
        settings.parallelSlots = max(settings.parallelSlots, evaluator.concurrency)
        self.serverSettings = settings
        self.server = MLXBaseServer(modelPath: baseModelPath, settings: settings)
    }

    package var probeSet: ProbeSet { evaluator.probeSet }
    package var workDirectories: WorkDirectories { evaluator.workDirectories }
    package var answerLengths: ProbeAnswerLengths { evaluator.answerLengths }
    private var logger: Logger { evaluator.logger }

    package func evaluate(
        _ checkpoint: Checkpoint,
        via transport: any RemoteTransport,
        onProbe: @escaping @Sendable (ProbeResult) async -> Void
    ) async throws -> CheckpointEvaluation {
        try await workDirectories.withDirectory(for: checkpoint, kind: "mlx-checkpoint", under: evaluator.workDirectory) { directory in
            try await copyAdapter(checkpoint, via: transport, into: directory)
            let model: MLXAdapterModel
            do {
                model = try await server.model().withAdapter(directory: directory)
                // Loading the adapter happens at its first request: fail here, naming the step, rather than in every probe.
                _ = try await model.generate("Hello", options: GenerateOptions(maxTokens: 1, temperature: 0)).text()
            } catch {
                throw AgentError(.server, "mlx_lm.server on \(baseModelPath) with the adapter of \(checkpoint.label): \(error)", underlying: error)
            }
            return try await evaluator.run(on: model, checkpoint: checkpoint, onProbe: onProbe)
        }
    }

    /// Copies the checkpoint's weights and config into `directory` as `adapters.safetensors` and
    /// `adapter_config.json`, and checks them as untrusted input (readable safetensors, a LoRA config, tensors in
    /// mlx-lm's naming) so a broken checkpoint is named here, not by a Python traceback.
    func copyAdapter(_ checkpoint: Checkpoint, via transport: any RemoteTransport, into directory: String) async throws {
        let (weights, config) = try await CheckpointEvaluator.download(checkpoint, via: transport, into: directory)
        do {
            let adapter = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
            logger.debug("adapter checked", metadata: [
                "modules": "\(adapter.targetModules)", "layers": "\(adapter.layers.count)", "run_id": "\(checkpoint.runID)",
            ])
        } catch {
            throw AgentError(.conversion, "\(checkpoint.adapterFile) is not a usable MLX LoRA adapter: \(error)", underlying: error)
        }
    }

    /// Stops the server, if one was started.
    package func close() async { await server.close() }
}

/// The one `mlx_lm.server` on the base model, started when first needed (once, however many ask at once).
private actor MLXBaseServer {
    let modelPath: String
    let settings: MLXServerSettings
    private var starting: Task<MLXServerModel, any Error>?
    private var closed = false

    init(modelPath: String, settings: MLXServerSettings) {
        self.modelPath = modelPath
        self.settings = settings
    }

    func model() async throws -> MLXServerModel {
        if closed { throw InferenceError(.closed, "the MLX evaluator is closed") }
        if let starting { return try await starting.value }
        let (modelPath, settings) = (modelPath, settings)
        let task = Task { try await MLXServerModel(modelPath: modelPath, settings: settings) }
        starting = task
        do {
            return try await task.value
        } catch {
            if starting == task { starting = nil }
            throw error
        }
    }

    func close() async {
        closed = true
        let model = try? await starting?.value
        starting = nil
        await model?.close()
    }
}
