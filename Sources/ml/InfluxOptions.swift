import ArgumentParser
import Configuration

/// The InfluxDB flags shared by `ml agent` and `ml ingest`; resolved with the agent's other settings
/// (``AgentSettings``), so `ML_AGENT_INFLUX…` variables and `--config` files work for both.
struct InfluxOptions: ParsableArguments {
    @Option(help: "InfluxDB base URL (default: none, SQLite only).") var influx: String?
    @Option(name: .customLong("influx-db"), help: "InfluxDB database (v1, v3) (default: training).") var influxDB: String?
    @Option(name: .customLong("influx-api"), help: "InfluxDB write API: v1, v2 or v3 (default: v1).") var influxAPI: String?
    @Option(name: .customLong("influx-org"), help: "InfluxDB v2 organisation.") var influxOrg: String?
    @Option(name: .customLong("influx-bucket"), help: "InfluxDB v2 bucket (default: the database).") var influxBucket: String?
    @Option(name: .customLong("influx-token-file"), help: "File holding the InfluxDB token (else $INFLUX_TOKEN).")
    var influxTokenFile: String?
    @Option(name: .customLong("influx-buffer"), help: "Where undelivered points wait (default: beside --db).")
    var influxBuffer: String?

    /// The flags given, by configuration key.
    var given: [(AgentSettings.Key, String?)] {
        [
            (.influx, influx), (.influxDB, influxDB), (.influxAPI, influxAPI), (.influxOrg, influxOrg),
            (.influxBucket, influxBucket), (.influxTokenFile, influxTokenFile), (.influxBuffer, influxBuffer),
        ]
    }
}
