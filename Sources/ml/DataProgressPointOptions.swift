import ArgumentParser
import DataPipeline
import Foundation
import Recording

/// `--influx URL [--influx-db NAME]` on `ml data expand` and `ml worker`: optional progress points (InfluxDB 1.x
/// write API; a token from `$INFLUX_TOKEN` when set, never a flag and never logged).
struct ProgressPointOptions: ParsableArguments {
    @Option(help: "InfluxDB base URL for progress points (default: none).") var influx: String?
    @Option(name: .customLong("influx-db"), help: "InfluxDB database for progress points.") var influxDB: String = "training"

    func writer(workerID: String, model: String,
                environment: [String: String] = ProcessInfo.processInfo.environment) -> ExpansionProgressPoints? {
        guard let influx else { return nil }
        let configuration = InfluxConfiguration(
            url: influx, apiVersion: .v1, database: influxDB, token: environment["INFLUX_TOKEN"].map(InfluxToken.init))
        return ExpansionProgressPoints(configuration: configuration, workerID: workerID, model: model) {
            printError("warning: " + $0)
        }
    }
}
