import ArgumentParser

/// Where results are recorded — the score store and InfluxDB — as flags shared by `ml agent` and `ml ingest`, with
/// the same keys in `ML_AGENT_*` variables and `--config` files (``AgentSettings``).
struct RecordingOptions: SettingOptions {
    @Option(help: "SQLite score store (default: $SWIFT_ML_HOME/agent/scores.sqlite).") var db: String?
    @OptionGroup(title: "InfluxDB") var influx: InfluxOptions
    @Option(help: "Where points InfluxDB did not take wait (default: beside --db).") var influxBuffer: String?
}
