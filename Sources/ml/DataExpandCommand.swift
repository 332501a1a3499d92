import ArgumentParser
import DataPipeline
import Foundation
import Inference
import Workspace

/// `ml data expand [--url URL]… [--model NAME | --backend … --model …] [--concurrency N] [--limit N]
/// [--max-tokens N] [--temperature T]`
struct DataExpandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Answer pending prompts with a model or a pool of servers (--url repeated); resumable.",
        discussion: """
            Prompts are claimed from the workspace's queue under a lease, so an interrupted run (Ctrl-C, a crash) \
            neither redoes nor duplicates an answer: rerun it to continue. Exit status 1 if any prompt failed.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var selection: ModelSelection
    @Option(help: "Generations in flight at once.") var concurrency: Int = 4
    @Option(help: "Stop after this many prompts.") var limit: Int?
    @Option(help: "Most tokens per answer.") var maxTokens: Int = 2048
    @Option(help: "Sampling temperature.") var temperature: Double = 0.7
    @Option(help: "Seconds a claim holds its prompts without a heartbeat.") var lease: Int = 60
    @OptionGroup(title: "InfluxDB progress") var progressPoints: ProgressPointOptions

    func run() async throws {
        let settings = ExpansionSettings(
            options: GenerateOptions(maxTokens: maxTokens, temperature: temperature), concurrency: concurrency,
            batch: concurrency * 2, lease: .seconds(max(1, lease)), limit: limit)
        let report = try await QueueRun.run(
            workspace: workspace, selection: selection, settings: settings, workerID: "expand-" + QueueWorker.defaultID(),
            progressPoints: progressPoints)
        print("\(report.answered) answered, \(report.failed) failed, \(report.duplicates) duplicates dropped")
        if report.failed > 0 { throw ExitCode.failure }
    }
}

/// The part `ml data expand` and `ml worker` share: load the model, work the queue with a progress line,
/// stop cleanly on SIGINT/SIGTERM.
enum QueueRun {
    static func run(workspace: WorkspaceOptions, selection: ModelSelection, settings: ExpansionSettings,
                    workerID: String, progressPoints: ProgressPointOptions) async throws -> ExpansionReport {
        try await withWorkspace(workspace) { store in
            let pending = try await store.status().pending
            let model: any TextModel
            do {
                model = try await selection.load(concurrency: settings.concurrency)
            } catch {
                printError("error: loading the model: \(error)")
                throw ExitCode.failure
            }
            let name = selection.url.isEmpty ? model.info.id : (selection.model ?? model.info.id)
            let source = selection.url.isEmpty ? (selection.model ?? MLPaths().defaultModel) : selection.url.joined(separator: ",")
            let total = settings.limit.map { min($0, pending) } ?? pending
            let tracker = ProgressTracker(total: total, unit: "answers")
            let points = progressPoints.writer(workerID: workerID, model: name)
            let worker = QueueWorker(
                store: store, model: model, modelName: name, modelSource: source, workerID: workerID,
                settings: settings
            ) { progress in
                tracker.record(failed: progress.error != nil, note: progress.error.map { "\(progress.promptID): \($0)" } ?? progress.promptID)
                points?.record(progress)
            }
            let pointsTask = points.map { points in Task { await points.run() } }
            defer { pointsTask?.cancel() }
            do {
                let report = try await SignalCancellation.run { try await worker.run() }
                pointsTask?.cancel()
                await pointsTask?.value
                await model.close()
                return report
            } catch is CancellationError {
                await model.close()
                printError("stopped: unanswered prompts were given back; rerun to continue")
                throw ExitCode(130)
            } catch {
                await model.close()
                throw error
            }
        }
    }
}
