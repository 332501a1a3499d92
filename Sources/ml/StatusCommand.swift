import ArgumentParser
import Configuration
import Foundation
import MLTools
import Recording

/// `ml status [--json]`: the reference's status screen (training and generation progress from InfluxDB) with the
/// workspace's counts and the agent's latest evaluated checkpoints; the same snapshot as `ml_status` and
/// `/v1/ml/status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Training and generation progress (InfluxDB), workspace counts and the latest evaluated checkpoints.",
        discussion: """
            Training: per model, the newest training_status point (status, iteration/total, percent) with the newest \
            training_loss point of loss_type=train (loss, learning rate). Generation: per worker, the newest \
            golden_gen_progress and expansion_progress point. These are read from InfluxDB when --influx (or \
            ML_AGENT_INFLUX, or "influx" in --config; the keys of `ml agent`) is given: InfluxQL on the v1 API, SQL \
            on v3. A source that is not configured, not there or not answering is a note, not a failure: the exit \
            status is 0 when at least one of InfluxDB, the score store and the workspace could be read, 1 when none \
            could.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The agent's score store to read (default: $SWIFT_ML_HOME/agent/scores.sqlite; the agent's key db).")
    var store: String?
    @OptionGroup(title: "InfluxDB") var influx: InfluxOptions
    @Option(help: "A JSON configuration file (the agent's keys).") var config: String?
    @Flag(help: "One JSON object (snake_case keys).") var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var flags = influx.given
        // The agent's `db` setting: named --store here, as for `ml mcp` and `ml serve`, since status only reads it.
        if let store { flags["db"] = ConfigValue(.string(store), isSecret: false) }
        let settings = try await AgentSettings.resolve(flags: flags, configFile: config, needsAdapterBase: false,
                                                       environment: environment)
        let influx = try AgentSetup.influxConfiguration(settings, environment: environment)
        let snapshot = await StatusSnapshot.read(store: settings.db, workspace: workspace.location, influx: influx)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(snapshot.json()), as: UTF8.self))
        } else {
            print(snapshot.text())
        }
        if snapshot.sourcesRead.isEmpty {
            throw CommandError(.input, "nothing could be read: no InfluxDB answered, no score store, no workspace (see the notes)")
        }
    }
}
