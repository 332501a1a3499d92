import ArgumentParser
import DataPipeline
import Foundation
import Inference
import MLErrors
import Workspace
import LocalModels

/// `ml data expand [--url URL]… [--model NAME | --backend … --model …] [--concurrency N] [--limit N]
/// [--max-tokens N] [--temperature T] [--retry-failed] [--max-outage SECONDS]`
struct DataExpandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Answer pending prompts with a model or a pool of servers (--url repeated); resumable.",
        discussion: """
            Prompts are claimed from the workspace's queue under a lease, so an interrupted run (Ctrl-C, a crash) \
            neither redoes nor duplicates an answer: rerun it to continue. A prompt whose own request fails (a 4xx, \
            a reply with no completion) is tried 5 times; an outage of the server (refused connections, 5xx, cut \
            streams) is backed off and spends no try. Exit status 1 if a prompt failed every try (--retry-failed \
            puts them back) or the server stayed down past --max-outage.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var selection: ModelSelection
    @Option(help: "Generations in flight at once.") var concurrency: Int = 4
    @Option(help: "Stop after this many prompts.") var limit: Int?
    @Option(help: "Most tokens per answer.") var maxTokens: Int = 2048
    @Option(help: "Sampling temperature.") var temperature: Double = 0.7
    @Option(help: "Seconds a claim holds its prompts without a heartbeat.") var lease: Int = 60
    @OptionGroup(title: "Failures") var failures: QueueFailureOptions
    @OptionGroup(title: "InfluxDB progress") var progressPoints: ProgressPointOptions

    func run() async throws {
        let settings = ExpansionSettings(
            options: GenerateOptions(maxTokens: maxTokens, temperature: temperature), concurrency: concurrency,
            batch: concurrency * 2, lease: .seconds(max(1, lease)), limit: limit)
        let run = try await QueueRun.run(
            workspace: workspace, selection: selection, settings: settings, workerID: "expand-" + QueueWorker.defaultID(),
            failures: failures, progressPoints: progressPoints)
        print("\(run.report.answered) answered, \(run.report.failed) failed, \(run.report.duplicates) duplicates dropped")
        try run.finish(command: "ml data expand")
    }
}

/// The part `ml data expand` and `ml worker` share: put back failed prompts when asked, load the model, work the
/// queue with a progress line (of prompts, not tries), stop cleanly on SIGINT/SIGTERM, and count the prompts that
/// are left failed.
struct QueueRun {
    var report: ExpansionReport
    /// Pending prompts that failed every attempt (this run's or an earlier one's): no longer handed out.
    var exhausted: Int
    var maxAttempts: Int

    /// Exit status 1, with a line saying how to retry, when prompts are left failed.
    func finish(command: String) throws {
        guard exhausted > 0 || report.failed > 0 else { return }
        if exhausted > 0 {
            printError("""
                \(exhausted) prompt(s) failed all \(maxAttempts) attempts and are no longer handed out \
                (their errors: ml data status, ml data query); run \(command) --retry-failed to try them again
                """)
        }
        throw ExitCode.failure
    }

    static func run(workspace: WorkspaceOptions, selection: ModelSelection, settings: ExpansionSettings,
                    workerID: String, failures: QueueFailureOptions,
                    progressPoints: ProgressPointOptions) async throws -> QueueRun {
        let settings = failures.apply(to: settings)
        return try await withWorkspace(workspace) { store in
            if failures.retryFailed {
                let putBack = try await store.retryFailed(maxAttempts: settings.maxAttempts)
                printError("put back \(putBack) prompt(s) that had failed every attempt")
            }
            // Prompts this run can be handed: exhausted ones are not, so they are not counted.
            let pending = try await store.remaining(maxAttempts: settings.maxAttempts)
            let model: any TextModel
            do {
                model = try await selection.load(concurrency: settings.concurrency)
            } catch {
                printError("error: loading the model: \(error)")
                throw ExitCode.failure
            }
            let name = selection.url.isEmpty ? model.info.id : (selection.model ?? model.info.id)
            let source = selection.url.isEmpty
                ? (selection.model ?? MLPaths().defaultModel) : selection.url.map(URLRedaction.printable).joined(separator: ",")
            let total = settings.limit.map { min($0, pending) } ?? pending
            let tracker = ProgressTracker(total: total, unit: "answers")
            let points = progressPoints.writer(workerID: workerID, model: name, store: store, target: total)
            let worker = QueueWorker(
                store: store, model: model, modelName: name, modelSource: source, workerID: workerID,
                settings: settings
            ) { progress in
                // A try that will be repeated is a note, not a step of the progress line (which counts prompts).
                guard progress.finished else {
                    printError("retrying \(progress.promptID): \(progress.error ?? "")")
                    return
                }
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
                let exhausted = try await store.exhausted(maxAttempts: settings.maxAttempts)
                return QueueRun(report: report, exhausted: exhausted, maxAttempts: settings.maxAttempts)
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
