import Evaluation
import Foundation
import Inference
import LlamaServer
import Logging
import ModelFormats
import Runs
import Transport

/// Evaluates one LoRA checkpoint: copies the adapter and its config locally, converts them to a GGUF LoRA, starts
/// a managed llama-server on the base model with the adapter, runs the capability probes (reporting each result
/// as it completes), judges the answers with the capability suite, optionally runs the content probes, and then
/// cleans up — the server stopped and the temporary files removed — whether it succeeded or not. The judge runs
/// where ``AgentJudge`` placed it: by default on the same server with the adapter off for its requests.
package struct CheckpointEvaluator: Sendable {
    /// The base model (GGUF) the adapters were trained on.
    package var baseModelPath: String
    /// How llama-server is started (executable, slots, context); the adapter is added per checkpoint.
    package var serverSettings: LlamaServerSettings
    /// Where checkpoints are copied and converted (a fresh subdirectory each time).
    package var workDirectory: String
    package var probeSet: ProbeSet
    /// Content probes to run, or nil to skip them.
    package var contentProbes: [ContentProbe]?
    package var judge: AgentJudge
    /// Sampling of the answers (greedy by default, so runs are comparable).
    package var answerOptions: GenerateOptions
    /// Answers asked per probe (sample i at the answers' seed + i); the first sample is judged and recorded as the
    /// reference records it, every sample's tally beside it.
    package var samples: Int
    /// Probes asked at once.
    package var concurrency: Int
    package var logger: Logger
    /// The work directories of evaluations in progress (removed by a forced exit too).
    package let workDirectories = WorkDirectories()
    /// The last checkpoint's answer lengths: the next checkpoint asks its probes longest first.
    package let answerLengths = ProbeAnswerLengths()

    package init(baseModelPath: String, serverSettings: LlamaServerSettings = LlamaServerSettings(),
                workDirectory: String, probeSet: ProbeSet = .builtIn, contentProbes: [ContentProbe]? = nil,
                judge: AgentJudge, answerOptions: GenerateOptions = GenerateOptions(maxTokens: 512, temperature: 0, seed: 1),
                samples: Int = 1, concurrency: Int = 2, logger: Logger = Logger(label: "swift-ml.agent")) {
        self.baseModelPath = baseModelPath
        self.serverSettings = serverSettings
        self.workDirectory = workDirectory
        self.probeSet = probeSet
        self.contentProbes = contentProbes
        self.judge = judge
        self.answerOptions = answerOptions
        self.samples = max(1, samples)
        self.concurrency = concurrency
        self.logger = logger
    }

    /// Evaluates `checkpoint`, copied through `transport`. `onProbe` sees each probe result as it completes.
    package func evaluate(
        _ checkpoint: Checkpoint,
        via transport: any RemoteTransport,
        onProbe: @escaping @Sendable (ProbeResult) async -> Void = { _ in }
    ) async throws -> CheckpointEvaluation {
        try await workDirectories.withDirectory(for: checkpoint, kind: "checkpoint", under: workDirectory) { directory in
            let adapter = try await prepareAdapter(checkpoint, via: transport, in: directory)
            return try await evaluate(adapter: adapter, checkpoint: checkpoint, onProbe: onProbe)
        }
    }

    /// Copies the adapter weights and config into `directory` and converts them to a GGUF LoRA; returns its path.
    func prepareAdapter(_ checkpoint: Checkpoint, via transport: any RemoteTransport, in directory: String) async throws -> String {
        let (weights, config) = try await Self.download(checkpoint, via: transport, into: directory)
        let output = (directory as NSString).appendingPathComponent("adapter.gguf")
        do {
            let result = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
                .convertToGGUF(outputPath: output, options: GGUFLoRAOptions(baseModelPath: baseModelPath))
            logger.debug("converted adapter", metadata: ["tensors": "\(result.tensorCount)", "run_id": "\(checkpoint.runID)"])
        } catch {
            throw AgentError(.conversion, "converting \(checkpoint.adapterFile) to a GGUF LoRA: \(error)", underlying: error)
        }
        try? FileManager.default.removeItem(atPath: weights)
        return output
    }

    private func evaluate(adapter: String, checkpoint: Checkpoint,
                          onProbe: @escaping @Sendable (ProbeResult) async -> Void) async throws -> CheckpointEvaluation {
        let settings = checkpointServerSettings(adapter: adapter)
        let model: LlamaServerModel
        do {
            model = try await LlamaServerModel(modelPath: baseModelPath, settings: settings)
        } catch {
            throw AgentError(.server, "starting llama-server on \(baseModelPath) with the adapter of \(checkpoint.label): \(error)", underlying: error)
        }
        do {
            let result = try await run(on: model, checkpoint: checkpoint, onProbe: onProbe)
            await model.close()
            return result
        } catch {
            await model.close()
            throw error
        }
    }

    /// The checkpoint server's settings: the adapter loaded, a slot per probe in flight, and — unless the user set
    /// one — a context sized for the longest request (``Judge/slotContext(answerTokens:replyTokens:)``).
    func checkpointServerSettings(adapter: String) -> LlamaServerSettings {
        // A local judge of another model runs beside this server: the two divide the cores.
        var settings = serverSettings.dividingCores(among: judge.managedServers)
        settings.loraAdapters = [adapter]
        // The probes' concurrency is what the server decodes at once: fewer slots would queue the rest unseen.
        settings.parallelSlots = max(settings.parallelSlots, concurrency)
        if settings.contextLength == nil {
            let slot = Judge.slotContext(answerTokens: answerOptions.maxTokens ?? 2048, replyTokens: judge.replyTokens)
            settings.contextLength = settings.parallelSlots * slot  // llama-server divides it among the slots
        }
        return settings
    }

    /// The probes, the judge and the content probes on `model` (the checkpoint's adapter applied): Runs'
    /// ``ProbeSession``, the sequence `ml probe --score --content` runs too. Shared with ``MLXCheckpointEvaluator``.
    func run(on model: any TextModel, checkpoint: Checkpoint,
             onProbe: @escaping @Sendable (ProbeResult) async -> Void) async throws -> CheckpointEvaluation {
        let judge: Judge
        do {
            judge = try await self.judge.judge(on: model)
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(.server, "starting the judge \(self.judge.description): \(error)", underlying: error)
        }
        logger.info("asking probes", metadata: ["label": "\(checkpoint.label)", "probes": "\(probeSet.probes.count)"])
        // Probes and their judge calls share the server's slots. A judge on this server (the adapter off) waits for
        // the last answer: the server batches only requests with the same adapter scales, so mixed phases would
        // decode one kind at a time. A judge elsewhere starts on each answer as it arrives.
        let session = ProbeSession(
            model: model, modelName: checkpoint.family.tag, judge: judge,
            settings: ProbeSessionSettings(
                probeSet: probeSet, answerOptions: answerOptions, concurrency: concurrency, samples: samples, scoresAnswers: true,
                slots: model.capacity, phased: self.judge.placement == .checkpointServer,
                expectedAnswerBytes: answerLengths.current, contentProbes: contentProbes))
        let (answerLengths, logger) = (answerLengths, logger)
        let result = try await session.run(onResult: onProbe) { event in
            guard case .answered(let report) = event else { return }
            answerLengths.record(report)
            if let failed = report.results.first(where: { $0.error != nil }) {
                logger.warning("a probe could not be asked", metadata: ["probe": "\(failed.id)", "error": "\(failed.error ?? "")"])
            }
        }
        return CheckpointEvaluation(probes: result.report, judged: result.judged, content: result.content, samples: result.samples)
    }

    /// Copies the checkpoint's weights and config into `directory` as `adapters.safetensors` and
    /// `adapter_config.json` (mlx-lm's names); returns their paths. Shared by both backends' evaluators.
    static func download(_ checkpoint: Checkpoint, via transport: any RemoteTransport, into directory: String) async throws
        -> (weights: String, config: String)
    {
        let weights = (directory as NSString).appendingPathComponent("adapters.safetensors")
        let config = (directory as NSString).appendingPathComponent("adapter_config.json")
        do {
            try await transport.download(remotePath: checkpoint.adapterFile, to: URL(fileURLWithPath: weights))
        } catch {
            throw AgentError(.copy, "copying \(checkpoint.adapterFile): \(error)", underlying: error)
        }
        do {
            try await transport.download(remotePath: checkpoint.configFile, to: URL(fileURLWithPath: config))
        } catch {
            throw AgentError(.copy, "copying \(checkpoint.configFile): \(error)", underlying: error)
        }
        return (weights, config)
    }

    /// A name safe as one path component.
    static func sanitized(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" || scalar == "." ? Character(scalar) : "_"
        }.prefix(80))
    }
}
