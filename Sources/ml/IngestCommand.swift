import Agent
import ArgumentParser
import Foundation
import Recording
import Runs
import SafeFiles

struct IngestCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Bring the reference's result files and training logs into InfluxDB and the SQLite store.",
        discussion: """
            --content F: content-score JSON lines (label, aggregates, probes) → content_score per aggregate
            dimension and probe_score per probe × dimension, tagged has_kernel. --capability F: capability JSON
            lines (label, accuracy, correct, total, by_category) → capability_score overall and per category.
            --training-log F: an mlx_lm.lora log, classic or table format, coloured or not → training_loss.
            Any combination, each as often as needed. Points get the reference's stable timestamps (base + iteration
            × 1000 + offset), so ingesting a file twice overwrites the same points. Everything also goes to the
            SQLite store (--db), where `ml` reports read it. A line that cannot be read is named (file:line) and
            skipped; the exit status is 1 if any line was skipped or a write had to be buffered.
            The InfluxDB options, the store and their ML_AGENT_… variables and --config keys are those of `ml agent`.
            """
    )

    @Option(help: "A content-score JSON-lines file.") var content: [String] = []
    @Option(help: "A capability JSON-lines file.") var capability: [String] = []
    @Option(name: .customLong("training-log"), help: "An mlx_lm.lora training log.") var trainingLog: [String] = []
    @Option(help: "The model tag of the points.") var model: String
    @Option(name: .customLong("run-id"), help: "The run id of the points.") var runID: String
    @Option(name: .customLong("batch-size"), help: "Points per InfluxDB write.") var batchSize: Int = 5000
    @Option(help: "A JSON configuration file (the agent's keys).") var config: String?
    @OptionGroup var recording: RecordingOptions

    func validate() throws {
        guard !(content.isEmpty && capability.isEmpty && trainingLog.isEmpty) else {
            throw ValidationError("nothing to ingest: give --content, --capability and/or --training-log")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    var fileInputs: [(name: String, path: String)] {
        Self.files("--content", content) + Self.files("--capability", capability)
            + Self.files("--training-log", trainingLog) + Self.files([("--config", config)])
    }

    var fileOutputs: [FileOutput] {
        Self.files([("--db", recording.db), ("--influx-buffer", recording.influxBuffer)])
            .map { .file(flag: $0.name, path: $0.path) }
    }

    func run() async throws {
        try checkOutputs()  // the flags as given; the paths resolved from the config file and environment below
        let environment = ProcessInfo.processInfo.environment
        let settings = try await AgentSettings.resolve(flags: recording.given, configFile: config, needsAdapterBase: false)
        try OutputCheck.require([.file(flag: "--db", path: settings.db), .file(flag: "--influx-buffer", path: settings.influxBuffer)],
                                distinctFrom: fileInputs)
        let directory = (settings.db as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let store = try ScoreStore(path: settings.db)
        let client = try AgentSetup.influxClient(settings, environment: environment, batchSize: batchSize)
        let recorder = client.map { InfluxRecorder(client: $0, buffer: PointBuffer(path: settings.influxBuffer)) }
        let ingest = ReferenceFileIngest(model: model, runID: runID, batchSize: batchSize, store: store, recorder: recorder)
        var failed = false
        let files = content.map { (ReferenceFileIngest.Kind.content, $0) } + capability.map { (.capability, $0) }
            + trainingLog.map { (.trainingLog, $0) }
        for (kind, path) in files {
            do {
                let summary = try await ingest.ingest(kind, path: path) { printError("\($0)") }
                print("\(path): \(summary.points) point(s)\(ingest.recorder == nil ? " (no --influx: store only)" : ""), "
                      + "\(summary.storeRows) store row(s), \(summary.skippedLines) line(s) skipped")
                failed = summary.failed || failed
            } catch {
                printError("\(path): \(error)")
                failed = true
            }
        }
        await client?.shutdown()
        if failed { throw ExitCode.failure }
    }
}
