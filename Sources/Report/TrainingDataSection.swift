import Foundation

/// The training-data workspace in a report: how many rows each stage holds, the workers seen, and which
/// region × domain cells have seeds but no golden answers yet (the gaps).
package struct TrainingDataSection: Sendable, Hashable, Codable {
    package struct Stage: Sendable, Hashable, Codable {
        package var name: String
        package var count: Int
    }

    package struct Cell: Sendable, Hashable, Codable {
        package var region: String
        package var domain: String
        package var seeds: Int
        package var golden: Int
        /// Seeds but nothing in the golden set.
        package var gap: Bool { seeds > 0 && golden == 0 }
    }

    package struct Worker: Sendable, Hashable, Codable {
        package var id: String
        package var host: String
        package var model: String
        package var answered: Int
        /// ISO 8601.
        package var lastHeartbeat: String
        package var stopped: Bool
    }

    package var location: String
    /// In pipeline order: seeds, prompts, pending, answered, scored, approved, rejected, golden, exports.
    package var stages: [Stage]
    package var coverage: [Cell]
    package var workers: [Worker]

    /// The section of `snapshot`.
    init(_ snapshot: WorkspaceSnapshot) {
        let s = snapshot.status
        location = snapshot.location
        stages = [("seeds", s.seeds), ("prompts", s.prompts), ("pending", s.pending), ("answered", s.answered),
                  ("scored", s.scored), ("approved", s.approved), ("rejected", s.rejected), ("golden", s.golden),
                  ("exports", s.exports)].map { Stage(name: $0.0, count: $0.1) }
        coverage = snapshot.coverage.map { Cell(region: $0.region, domain: $0.domain, seeds: $0.seeds, golden: $0.golden) }
        let formatter = ISO8601DateFormatter()
        workers = s.workers.map {
            Worker(id: $0.id, host: $0.host, model: $0.model, answered: $0.answered,
                   lastHeartbeat: formatter.string(from: Date(timeIntervalSince1970: $0.lastHeartbeat)),
                   stopped: $0.stoppedAt != nil)
        }
    }
}
