import ArgumentParser
import DataPipeline
import Foundation
import Recording
import Workspace

/// `--influx URL [--influx-db NAME]` on `ml data expand` and `ml worker`: optional progress points (InfluxDB 1.x
/// write API; a token from `$INFLUX_TOKEN` when set, never a flag and never logged).
struct ProgressPointOptions: ParsableArguments {
    @Option(help: "InfluxDB base URL for progress points (default: none).") var influx: String?
    @Option(name: .customLong("influx-db"), help: "InfluxDB database for progress points.") var influxDB: String = "training"

    /// With `store`, the reference's dashboard measurements too (``ExpansionReferencePoints``), `target` the
    /// prompts the run sets out to answer.
    func writer(workerID: String, model: String, store: (any WorkspaceStore)? = nil, target: Int = 0,
                environment: [String: String] = ProcessInfo.processInfo.environment) -> ExpansionProgressPoints? {
        guard let influx else { return nil }
        let configuration = InfluxConfiguration(
            url: influx, apiVersion: .v1, database: influxDB, token: environment["INFLUX_TOKEN"].map(InfluxToken.init))
        let reference = store.map { ExpansionReferencePoints(store: $0, workerID: workerID, target: target) }
        return ExpansionProgressPoints(configuration: configuration, workerID: workerID, model: model, reference: reference) {
            printError("warning: " + $0)
        }
    }
}
