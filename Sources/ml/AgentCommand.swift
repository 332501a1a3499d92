import Agent
import ArgumentParser
import Evaluation
import Foundation
import SafeFiles
import ServiceLifecycle
import LlamaServer
import Logging
import Inference
import MLErrors
import Recording
import Synchronization
import Transport

struct AgentCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Find new LoRA checkpoints, evaluate them, and record the results (SQLite, optionally InfluxDB).",
        discussion: """
            Each pass replays buffered InfluxDB points, lists the checkpoints (*_adapters.safetensors) under the
            adapter base — over SSH with --host, else in a local directory — and evaluates each one not yet scored:
            copy, convert to a GGUF LoRA, start llama-server on the base model with it, run the 23 capability
            probes (each result recorded as it completes), judge the answers, optionally run the content probes,
            record, clean up. With --backend mlx and an MLX --base-model directory, each checkpoint is applied as it
            is (no conversion) on one mlx_lm.server, the adapter switched per request. Results go to the SQLite store (--db) and, with --influx, to InfluxDB; a failed write
            is buffered and replayed. Already-scored checkpoints come from the store (and InfluxDB), so a restarted
            agent never evaluates one twice.

            Every option can also be set by an environment variable (ML_AGENT_ + the name in capitals, '-' as '_',
            e.g. ML_AGENT_ADAPTER_BASE) or in the JSON file given by --config (keys are the option names, e.g.
            {"adapter-base": "/data/adapters", "poll": 120}). Flags win over the environment, which wins over the
            file. The InfluxDB token comes from ML_AGENT_INFLUX_TOKEN or INFLUX_TOKEN, "influx-token" in the file, or
            --influx-token-file, and is never logged.

            SIGTERM (or Ctrl-C) lets the checkpoint being evaluated finish and be recorded, then exits; a second
            signal exits at once. Exits 1 when a checkpoint failed.

            --training-log FILE follows an mlx_lm.lora log (either format, coloured or not) while the agent runs and
            records each loss as a training_loss point (and in the store) as it appears.
            """
    )

    @Option(help: "A JSON configuration file (keys are the option names).") var config: String?
    @OptionGroup var options: AgentOptions
    @Flag(name: .customLong("one-shot"), help: "One pass, then exit.") var oneShot = false
    @Flag(name: .customLong("dry-run"), help: "List the checkpoints and which would be evaluated; evaluate nothing.")
    var dryRun = false
    @Flag(help: "Evaluate every checkpoint, even those already scored.") var force = false
    @Flag(help: "Debug logging.") var verbose = false

    var fileInputs: [(name: String, path: String)] {
        Self.files([("--config", config), ("--base-model", options.baseModel), ("--families", options.families),
                    ("--judge-model-path", options.judgeModelPath), ("--training-log", options.trainingLog),
                    ("--adapter-base", options.host == nil ? options.adapterBase : nil)])
    }

    var fileOutputs: [FileOutput] {
        Self.outputs(db: options.recording.db, buffer: options.recording.influxBuffer, workDir: options.workDir)
    }

    static func outputs(db: String?, buffer: String?, workDir: String?) -> [FileOutput] {
        files([("--db", db), ("--influx-buffer", buffer)]).map { .file(flag: $0.name, path: $0.path) }
            + files([("--work-dir", workDir)]).map { .directory(flag: $0.name, path: $0.path, owned: nil) }
    }

    func run() async throws {
        try checkOutputs()  // the flags as given; the paths resolved from the config file and environment below
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "swift-ml.agent")
        let settings: AgentSettings
        let setup: AgentSetup
        do {
            settings = try await AgentSettings.resolve(flags: options.given, configFile: config)
            try OutputCheck.require(
                Self.outputs(db: settings.db, buffer: settings.influxBuffer, workDir: settings.workDir),
                distinctFrom: Self.files([
                    ("--config", config), ("--base-model", settings.baseModel), ("--families", settings.families),
                    ("--judge-model-path", settings.judgeModelPath), ("--training-log", settings.trainingLog),
                    ("--adapter-base", settings.host == nil ? settings.adapterBase : nil),
                ]))
            setup = try await AgentSetup.make(settings, logger: logger)
        } catch {
            throw error
        }
        if settings.samples > 1, settings.temperature == 0 {
            printError("warning: --samples \(settings.samples) at --temperature 0: greedy answers repeat, so every sample is the same")
        }

        let agent = CheckpointAgent(
            transport: setup.transport,
            settings: .init(adapterBase: settings.adapterBase, filter: settings.filter, families: setup.families,
                            pollInterval: .milliseconds(Int(settings.poll * 1000)), force: force),
            evaluator: setup.checkpointEvaluator, recorder: setup.recorder, logger: logger,
            onProbe: Self.progress(probes: setup.checkpointEvaluator.probeSet.probes.count))
        if dryRun {
            try await runDryRun(agent, setup: setup)
            return
        }
        logger.info("agent started", metadata: [
            "transport": "\(setup.transport.description)", "adapter_base": "\(settings.adapterBase)",
            "backend": "\(settings.backend)", "base_model": "\(settings.baseModel)", "db": "\(settings.db)",
            "influx": "\(settings.influxURL.map { "\(URLRedaction.printable($0)) (\(settings.influxAPI.rawValue))" } ?? "none")",
            "judge": "\(setup.judgeDescription)", "mode": "\(oneShot ? "one-shot" : "every \(settings.poll) s")",
        ])

        // SIGTERM / SIGINT: the service group shuts down gracefully — the checkpoint being evaluated finishes and is
        // recorded, the training log is read once more. A second signal exits at once, removing the work directories.
        let workDirectories = setup.evaluator.workDirectories
        let forcedExit = await SignalWatch.exitingOnSecondSignal { workDirectories.removeAll() }
        defer { forcedExit.cancel() }
        let follower = settings.trainingLog.map {
            TrainingLogFollower(path: $0, runID: settings.trainingRunID ?? TrainingLogFollower.defaultRunID(path: $0),
                                model: settings.trainingModel, store: setup.recorder.store,
                                influx: setup.recorder.influx, logger: logger)
        }
        let passes = CheckpointPassesService(agent: agent, oneShot: oneShot, follower: follower)
        // The follower is listed first: the group shuts services down last to first, so the passes hear of a
        // signal at once and the training log is followed until they are done.
        let following: [ServiceGroupConfiguration.ServiceConfiguration] =
            oneShot ? [] : follower.map { [ServiceGroupConfiguration.ServiceConfiguration(service: TrainingLogService(follower: $0))] } ?? []
        var configuration = ServiceGroupConfiguration(
            services: following + [.init(service: passes, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "swift-ml.agent.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() }))
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await setup.close()
            throw error
        }
        await setup.close()
        if passes.failures.withLock({ $0 }) > 0 { throw ExitCode.failure }
    }

    private func runDryRun(_ agent: CheckpointAgent, setup: AgentSetup) async throws {
        do {
            let (all, pending) = try await agent.plan()
            print("\(all.count) checkpoint(s) found, \(pending.count) to evaluate")
            let waiting = Set(pending)
            for checkpoint in all {
                print("\(waiting.contains(checkpoint) ? "evaluate" : "scored  ")  \(checkpoint.label)  \(checkpoint.runID)  \(checkpoint.adapterFile)")
            }
            await setup.close()
        } catch {
            await setup.close()
            throw error
        }
    }

    /// Each checkpoint's probes through the shared progress line: items/s, ETA and failures on a terminal, a plain
    /// line per probe otherwise.
    static func progress(probes: Int) -> @Sendable (Checkpoint, ProbeResult) -> Void {
        let trackers = Mutex<[String: ProgressTracker]>([:])
        return { checkpoint, result in
            let key = checkpoint.runID + "\u{0}" + checkpoint.label
            let tracker = trackers.withLock { trackers in
                if let tracker = trackers[key] { return tracker }
                let tracker = ProgressTracker(total: probes, unit: "probes")
                trackers[key] = tracker
                return tracker
            }
            let mark = result.error != nil ? "ERROR" : result.incomplete ? "incomplete" : result.passed ? "pass" : "fail"
            tracker.record(failed: result.error != nil, note: "\(checkpoint.label) \(result.id): \(mark)")
        }
    }
}
