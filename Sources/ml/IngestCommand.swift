import Agent
import ArgumentParser
import Evaluation
import Foundation
import Logging
import Recording
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
        Self.files([("--db", recording.db), ("--influx-buffer", recording.influx.influxBuffer)])
            .map { .file(flag: $0.name, path: $0.path) }
    }

    /// One file kind: how a line becomes points and store rows.
    enum Kind: String {
        case content, capability, trainingLog = "training log"
    }

    func run() async throws {
        try checkOutputs()  // the flags as given; the paths resolved from the config file and environment below
        let environment = ProcessInfo.processInfo.environment
        let store: ScoreStore
        let client: InfluxClient?
        let recorder: InfluxRecorder?
        do {
            let settings = try await AgentSettings.resolve(flags: recording.given, configFile: config, needsAdapterBase: false)
            try OutputCheck.require([.file(flag: "--db", path: settings.db), .file(flag: "--influx-buffer", path: settings.influxBuffer)],
                                    distinctFrom: fileInputs)
            let directory = (settings.db as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            store = try ScoreStore(path: settings.db)
            client = try AgentSetup.influxClient(settings, environment: environment, batchSize: batchSize)
            recorder = client.map { InfluxRecorder(client: $0, buffer: PointBuffer(path: settings.influxBuffer)) }
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        var failed = false
        let files = content.map { (Kind.content, $0) } + capability.map { (Kind.capability, $0) }
            + trainingLog.map { (Kind.trainingLog, $0) }
        for (kind, path) in files {
            do {
                failed = try await ingest(kind, path: path, store: store, recorder: recorder) || failed
            } catch {
                printError("\(path): \(error)")
                failed = true
            }
        }
        await client?.shutdown()
        if failed { throw ExitCode.failure }
    }

    /// Ingests one file; returns whether anything in it failed.
    private func ingest(_ kind: Kind, path: String, store: ScoreStore, recorder: InfluxRecorder?) async throws -> Bool {
        let lines: [TextLine]
        do {
            lines = try TextLineReader.lines(path: path)
        } catch {
            throw ValidationError("cannot read the \(kind.rawValue) file: \(error)")
        }
        var points: [InfluxPoint] = []
        var losses: [TrainingLossRecord] = []
        var judgeScores: [JudgeScoreRecord] = []
        var checkpoints: [CheckpointScore] = []
        var bad = 0
        for textLine in lines {
            guard case .text(let line) = textLine.content else {
                bad += 1
                printError("\(path):\(textLine.number): skipped: \(textLine.problem ?? "unreadable")")
                continue
            }
            if kind != .trainingLog, line.allSatisfy({ $0.isWhitespace }) { continue }
            do {
                switch kind {
                case .content:
                    let parsed = try ReferenceIngest.content(line, model: model, runID: runID)
                    points += parsed.points
                    judgeScores += parsed.judgeScores
                case .capability:
                    let parsed = try ReferenceIngest.capability(line, model: model, runID: runID)
                    points += parsed.points
                    checkpoints += parsed.checkpoint.map { [$0] } ?? []
                case .trainingLog:
                    guard let entry = try TrainingLogParser.parse(line) else { continue }
                    points.append(try entry.point(runID: runID, model: model))
                    losses.append(entry.record(runID: runID, model: model))
                }
            } catch {
                bad += 1
                printError("\(path):\(textLine.number): skipped: \(error)")
            }
        }
        try store.save(trainingLoss: losses)
        try store.save(judgeScores: judgeScores)
        for checkpoint in checkpoints { try store.save(checkpoint) }
        var buffered = false
        if let recorder {
            for start in stride(from: 0, to: points.count, by: batchSize) {
                let outcome = try await recorder.record(Array(points[start..<min(start + batchSize, points.count)]))
                switch outcome {
                case .buffered(_, _, let error):
                    printError("\(path): InfluxDB write failed, points buffered for the agent to replay: \(error)")
                    buffered = true
                case .rejected(let batches, _, let file, let error):
                    printError("\(path): InfluxDB refused \(batches) batch(es), set aside in \(file): \(error)")
                    buffered = true
                case .written:
                    break
                }
            }
        }
        let rows = losses.count + judgeScores.count + checkpoints.count
        print("\(path): \(points.count) point(s)\(recorder == nil ? " (no --influx: store only)" : ""), \(rows) store row(s), \(bad) line(s) skipped")
        return bad > 0 || buffered
    }
}
