import ArgumentParser
import DataPipeline

/// `--retry-failed` and `--max-outage` on `ml data expand` and `ml worker`: prompts that used every attempt, and
/// how long a worker waits out an upstream that keeps failing.
struct QueueFailureOptions: ParsableArguments {
    @Flag(help: "First put back the prompts that failed every attempt (their attempts reset), then answer them too.")
    var retryFailed = false
    @Option(help: """
        Seconds the model's server may keep failing (refused connections, 5xx, cut streams, timeouts; backed off \
        from 0.5 s to 30 s) with no answer before the run gives up, leaving its prompts pending.
        """)
    var maxOutage: Int = 600

    /// `settings` with this outage limit.
    func apply(to settings: ExpansionSettings) -> ExpansionSettings {
        var settings = settings
        settings.outage.totalBudget = .seconds(max(1, maxOutage))
        return settings
    }
}
