import Evaluation
import GRDB

/// A probe's result as a row of the ``ScoreStore`` (`probe_results`, keyed by run ID, label and probe ID): the
/// evaluation's ``ProbeResult`` itself, with the checkpoint it belongs to. This is the one mapping between the two:
/// the row keeps the probe ID, category, verdict and response (a `NULL` response reads back as ""); whether the
/// answer was incomplete and the backend error are not stored. With several answers per probe (`ml agent
/// --samples K`) the row is the first answer's, with how many of the K passed.
public struct ProbeResultRecord: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "probe_results"

    public var runID: String
    public var label: String
    public var result: ProbeResult
    /// With samples: the answers that passed, of ``samples``.
    public var samplesPassed: Int?
    public var samples: Int?

    public init(runID: String, label: String, result: ProbeResult, samplesPassed: Int? = nil, samples: Int? = nil) {
        self.runID = runID
        self.label = label
        self.result = result
        self.samplesPassed = samplesPassed
        self.samples = samples
    }

    public init(row: Row) throws {
        runID = row["run_id"]
        label = row["label"]
        result = ProbeResult(id: row["probe_id"], category: row["category"], passed: row["passed"],
                             response: row["response"] ?? "")
        samplesPassed = row["samples_passed"]
        samples = row["samples"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["run_id"] = runID
        container["label"] = label
        container["probe_id"] = result.id
        container["category"] = result.category
        container["passed"] = result.passed
        container["response"] = result.response
        container["samples_passed"] = samplesPassed
        container["samples"] = samples
    }
}
