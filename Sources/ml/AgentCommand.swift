import Agent
import ArgumentParser
import Configuration
import Evaluation
import Foundation
import LlamaServer
import Logging
import Inference
import Recording
import Synchronization
import Transport

struct AgentCommand: AsyncParsableCommand {
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
    @Option(help: "Remote host holding the adapters (ssh). Without it the adapter base is a local directory.") var host: String?
    @Option(help: "SSH user.") var user: String?
    @Option(help: "SSH port.") var port: String?
    @Option(help: "SSH identity file.") var identity: String?
    @Option(name: .customLong("known-hosts"), help: "SSH known-hosts file (new host keys are accepted, changed ones refused).")
    var knownHosts: String?
    @Option(name: .customLong("adapter-base"), help: "Directory holding the adapter run directories.") var adapterBase: String?
    @Option(help: "Only run directories whose name contains this (case-insensitive).") var filter: String?
    @Option(help: "llama: each checkpoint converted to a GGUF LoRA on llama-server; mlx: applied as it is on one mlx_lm.server (default: llama).")
    var backend: String?
    @Option(name: .customLong("base-model"), help: "The base model the adapters were trained on: a GGUF, or an MLX directory with --backend mlx (default: the default model, or its MLX copy).")
    var baseModel: String?
    @Option(help: "Model-family map (JSON) from directory names to model tag and short label (default: the shipped map).")
    var families: String?
    @Option(help: "SQLite score store (default: $SWIFT_ML_HOME/agent/scores.sqlite).") var db: String?
    @OptionGroup(title: "InfluxDB") var influxOptions: InfluxOptions
    @Option(name: .customLong("judge-url"), help: "OpenAI-compatible judge server (default: the local default model).")
    var judgeURL: String?
    @Option(name: .customLong("judge-model"), help: "The judge's model name at --judge-url.") var judgeModel: String?
    @Option(name: .customLong("judge-model-path"), help: "A local GGUF to judge with (default: the default model).")
    var judgeModelPath: String?
    @Option(help: "Seconds between passes (default: 300).") var poll: String?
    @Option(name: .customLong("work-dir"), help: "Where checkpoints are copied and converted (default: $SWIFT_ML_HOME/agent/work).")
    var workDir: String?
    @Option(name: .customLong("max-tokens"), help: "Most tokens per probe answer (default: 512).") var maxTokens: String?
    @Option(name: .customLong("judge-max-tokens"), help: "Most tokens per judge reply (default: 384).") var judgeMaxTokens: String?
    @Option(help: "Probes asked and judged at once (default: 2).") var concurrency: String?
    @Flag(inversion: .prefixedNo, help: "Also run the content probes, judged by the content suite (default: no).")
    var content: Bool?
    @Option(name: .customLong("training-log"), help: "An mlx_lm.lora training log to follow: its losses become training_loss points as they appear.")
    var trainingLog: String?
    @Option(name: .customLong("training-model"), help: "The model tag of the followed training log's points (default: training).")
    var trainingModel: String?
    @Option(name: .customLong("training-run-id"), help: "The run id of the followed training log's points (default: the log's file name without extension).")
    var trainingRunID: String?
    @Option(help: "llama-server threads per managed server (default: servers running at once divide the cores).")
    var threads: String?
    @Flag(name: .customLong("one-shot"), help: "One pass, then exit.") var oneShot = false
    @Flag(name: .customLong("dry-run"), help: "List the checkpoints and which would be evaluated; evaluate nothing.")
    var dryRun = false
    @Flag(help: "Evaluate every checkpoint, even those already scored.") var force = false
    @Flag(help: "Debug logging.") var verbose = false

    /// The flags given, by configuration key.
    var flagValues: [AgentSettings.Key: ConfigValue] {
        let given: [(AgentSettings.Key, String?)] = [
            (.host, host), (.user, user), (.port, port), (.identity, identity), (.knownHosts, knownHosts),
            (.adapterBase, adapterBase), (.filter, filter), (.backend, backend), (.baseModel, baseModel), (.families, families), (.db, db),
            (.judgeURL, judgeURL), (.judgeModel, judgeModel), (.judgeModelPath, judgeModelPath), (.poll, poll),
            (.workDir, workDir), (.maxTokens, maxTokens), (.judgeMaxTokens, judgeMaxTokens),
            (.concurrency, concurrency), (.content, content.map { String($0) }),
            (.trainingLog, trainingLog), (.trainingModel, trainingModel), (.trainingRunID, trainingRunID),
            (.threads, threads),
        ] + influxOptions.given
        var values: [AgentSettings.Key: ConfigValue] = [:]
        for case let (key, value?) in given { values[key] = ConfigValue(.string(value), isSecret: false) }
        return values
    }

    func run() async throws {
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
            settings = try await AgentSettings.resolve(flags: flagValues, configFile: config)
            setup = try await AgentSetup.make(settings, logger: logger)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
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
            "influx": "\(settings.influxURL.map { "\($0) (\(settings.influxAPI.rawValue))" } ?? "none")",
            "judge": "\(setup.judgeDescription)", "mode": "\(oneShot ? "one-shot" : "every \(settings.poll) s")",
        ])

        // SIGTERM / SIGINT: finish and record the checkpoint being evaluated, then exit.
        let workDirectories = setup.evaluator.workDirectories
        let signals = await SignalWatch.start(
            message: "stopping after the current checkpoint is recorded (again to exit now)…\n",
            onForcedExit: { workDirectories.removeAll() }
        ) {
            agent.stop()
        }
        defer { signals.cancel() }
        // The training log, when given, is followed beside the checkpoint passes.
        let follower = settings.trainingLog.map {
            TrainingLogFollower(path: $0, runID: settings.trainingRunID ?? TrainingLogFollower.defaultRunID(path: $0),
                                model: settings.trainingModel, store: setup.recorder.store,
                                influx: setup.recorder.influx, logger: logger)
        }
        let following = oneShot ? nil : follower.map { follower in Task { await follower.follow { agent.isStopping } } }
        defer { following?.cancel() }
        let failures: Int
        do {
            if oneShot {
                if let follower { await follower.readNew() }
                let report = try await agent.runOnce()
                print("evaluated \(report.evaluated.count), failed \(report.failed.count), already scored \(report.skipped)"
                      + (report.stopped ? " (stopped early)" : ""))
                for failure in report.failed { printError("failed: \(failure.checkpoint.label): \(failure.error)") }
                failures = report.failed.count
            } else {
                failures = try await agent.run()
            }
        } catch {
            following?.cancel()
            await following?.value
            await setup.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
        following?.cancel()
        await following?.value
        await setup.close()
        if failures > 0 { throw ExitCode.failure }
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
            printError("error: \(error)")
            throw ExitCode.failure
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
