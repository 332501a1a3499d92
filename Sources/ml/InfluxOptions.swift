import ArgumentParser

/// Which InfluxDB: the flags `ml agent`, `ml ingest` (through ``RecordingOptions``), `ml status`, `ml mcp` and `ml serve`
/// share. The token is not one: it comes from the environment, the configuration file or `--influx-token-file`,
/// never the command line.
struct InfluxOptions: SettingOptions {
    @Option(help: "InfluxDB base URL (default: none, SQLite only).") var influx: String?
    @Option(help: "InfluxDB database (v1, v3) (default: training).") var influxDB: String?
    @Option(help: "InfluxDB write API: v1, v2 or v3 (default: v1).") var influxAPI: String?
    @Option(help: "InfluxDB v2 organisation.") var influxOrg: String?
    @Option(help: "InfluxDB v2 bucket (default: the database).") var influxBucket: String?
    @Option(help: "File holding the InfluxDB token (else $INFLUX_TOKEN).") var influxTokenFile: String?
}
