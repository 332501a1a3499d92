import ArgumentParser
import DataPipeline
import Foundation
import Inference

/// `ml worker --url URL [--model NAME] [--batch N] [--lease SECONDS]`: one machine's share of a workspace's
/// expansion, usually against a PostgreSQL workspace shared by many workers.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Answer a workspace's pending prompts through a local inference server, alongside other workers.",
        discussion: """
            Claims --batch prompts at a time under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), answers them, \
            stores each answer and heartbeats; a worker that dies loses nothing: its lease expires and another \
            worker takes the prompts. Exits when no prompt is pending (with --follow: keeps waiting for more). \
            Failures are handled as by ml data expand (--retry-failed, --max-outage).
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var selection: ModelSelection
    @Option(help: "Prompts claimed at a time.") var batch: Int = 8
    @Option(help: "Seconds a claim holds its prompts without a heartbeat.") var lease: Int = 60
    @Option(help: "Generations in flight at once (default: --batch).") var concurrency: Int?
    @Option(help: "Most tokens per answer.") var maxTokens: Int = 2048
    @Option(help: "Sampling temperature.") var temperature: Double = 0.7
    @Flag(help: "Keep polling for new prompts when none are pending.") var follow = false
    @Option(help: "A name for this worker in ml data status (default: HOST-PID-RANDOM).") var name: String?
    @OptionGroup(title: "Failures") var failures: QueueFailureOptions
    @OptionGroup(title: "InfluxDB progress") var progressPoints: ProgressPointOptions

    func run() async throws {
        let settings = ExpansionSettings(
            options: GenerateOptions(maxTokens: maxTokens, temperature: temperature),
            concurrency: concurrency ?? batch, batch: batch, lease: .seconds(max(1, lease)), follow: follow)
        let run = try await QueueRun.run(
            workspace: workspace, selection: selection, settings: settings, workerID: name ?? QueueWorker.defaultID(),
            failures: failures, progressPoints: progressPoints)
        let report = run.report
        print("\(report.answered) answered, \(report.failed) failed, \(report.duplicates) duplicates dropped, \(report.claims) claims")
        try run.finish(command: "ml worker")
    }
}
