import Foundation
import Recording
import Synchronization
import Workspace

/// The reference's dashboard measurements, written beside our `data_expand` by an expansion with `--influx`
/// (names, tags and field types as the reference writes them; the README has the table):
///
/// - `expansion_gen,i=N,w=WORKER,d=DOMAIN seed_id="PROMPT",gen_time=S,chars=Ni,model="MODEL"`: one per answer of
///   this worker, `i` counting its answers from 0, stamped with the answer's time (a rerun overwrites);
/// - `expansion_progress,worker=WORKER completed=Ni,target=Ni,pct=P`: answers of this run against the prompts it set
///   out to answer;
/// - at the end, the golden set: `gold_gen,i=N,w=WORKER,d=DOMAIN,v=VOICE seed_id="ID",gen_time=S,chars=Ni` per
///   row (stamped with its time, `w` the worker that answered it or `import`), and the reference's `ml metrics`
///   summary `golden_set_stats`, `golden_set_domain`, `golden_set_voice`.
///
/// `chars` counts UTF-8 bytes (the reference's `len`); an empty domain or voice is `unknown` (as the reference's
/// generator writes it: InfluxDB refuses an empty tag value).
package final class ExpansionReferencePoints: Sendable {
    /// The golden set's size the reference's `completion_pct` is measured against.
    package static let goldenTarget = 15000

    private let store: any WorkspaceStore
    private let workerID: String
    private let target: Int
    /// Answers already written (``advance(to:)``): the newest time and the ids at it, and the next index.
    private let written = Mutex(Cursor())

    package init(store: any WorkspaceStore, workerID: String, target: Int) {
        self.store = store
        self.workerID = workerID
        self.target = target
    }

    /// How far this worker's answers have been written.
    package struct Cursor: Sendable, Hashable {
        var since = 0.0
        var idsAtSince = Set<String>()
        var next = 0
    }

    /// `expansion_gen` for this worker's answers past the written cursor, then `expansion_progress` for `completed`;
    /// and the cursor to ``advance(to:)`` once they are written (a failed write leaves them for the next try).
    package func progressPoints(completed: Int) async throws -> (points: [InfluxPoint], cursor: Cursor) {
        var cursor = written.withLock { $0 }
        let rows = try await store.read { [workerID, since = cursor.since] tx in
            try await tx.rows("""
                SELECT a.prompt_id, COALESCE(p.domain, '') AS domain, a.duration_seconds, a.response, a.model, a.created_at
                FROM answers a JOIN prompts p ON p.id = a.prompt_id
                WHERE a.worker_id = ? AND a.created_at >= ? ORDER BY a.created_at, a.prompt_id
                """, [.text(workerID), .double(since)])
        }
        var points: [InfluxPoint] = []
        for row in rows {
            guard let id = row["prompt_id"].string, let created = row["created_at"].double else { continue }
            if created == cursor.since, cursor.idsAtSince.contains(id) { continue }
            if created > cursor.since {
                cursor.since = created
                cursor.idsAtSince = []
            }
            cursor.idsAtSince.insert(id)
            points.append(Self.generation(
                index: cursor.next, worker: workerID, domain: row["domain"].string ?? "", promptID: id,
                seconds: row["duration_seconds"].double ?? 0, chars: (row["response"].string ?? "").utf8.count,
                model: row["model"].string ?? "", time: created))
            cursor.next += 1
        }
        points.append(Self.progress(worker: workerID, completed: completed, target: target))
        return (points, cursor)
    }

    /// Marks the answers of `cursor` written.
    package func advance(to cursor: Cursor) {
        written.withLock { $0 = cursor }
    }

    /// `gold_gen` per golden row and the `golden_set_*` summary, now.
    package func goldenSetPoints(now: Date = Date()) async throws -> [InfluxPoint] {
        let rows = try await store.read { tx in
            try await tx.rows("""
                SELECT g.id, COALESCE(g.domain, '') AS domain, COALESCE(g.voice, '') AS voice, g.response, g.created_at,
                       a.worker_id, a.duration_seconds
                FROM golden g LEFT JOIN answers a ON a.prompt_id = g.prompt_id ORDER BY g.created_at, g.id
                """, [])
        }
        let golden = rows.map { row in
            GoldenRow(id: row["id"].string ?? "", domain: row["domain"].string ?? "", voice: row["voice"].string ?? "",
                      worker: row["worker_id"].string ?? "import", seconds: row["duration_seconds"].double ?? 0,
                      chars: (row["response"].string ?? "").utf8.count, time: row["created_at"].double ?? 0)
        }
        return golden.enumerated().map { Self.gold(index: $0.offset, $0.element) } + Self.goldenSet(golden, time: now)
    }

    /// One golden row as the golden-set measurements see it.
    package struct GoldenRow: Sendable, Hashable {
        package var id, domain, voice, worker: String
        package var seconds: Double
        package var chars: Int
        package var time: Double

        package init(id: String, domain: String, voice: String, worker: String, seconds: Double, chars: Int, time: Double) {
            self.id = id
            self.domain = domain
            self.voice = voice
            self.worker = worker
            self.seconds = seconds
            self.chars = chars
            self.time = time
        }
    }

    // MARK: - The points

    package static func generation(index: Int, worker: String, domain: String, promptID: String, seconds: Double,
                                   chars: Int, model: String, time: Double) -> InfluxPoint {
        InfluxPoint(
            measurement: "expansion_gen", tags: ["i": String(index), "w": worker, "d": tag(domain)], tagOrder: ["i", "w", "d"],
            fields: [
                InfluxField("seed_id", .string(promptID)), InfluxField("gen_time", .float(seconds)),
                InfluxField("chars", .integer(Int64(chars))), InfluxField("model", .string(model)),
            ],
            timestamp: nanoseconds(time))
    }

    package static func progress(worker: String, completed: Int, target: Int) -> InfluxPoint {
        InfluxPoint(
            measurement: "expansion_progress", tags: ["worker": worker],
            fields: [
                InfluxField("completed", .integer(Int64(completed))), InfluxField("target", .integer(Int64(target))),
                InfluxField("pct", .float(target > 0 ? Double(completed) / Double(target) * 100 : 0)),
            ],
            timestamp: nanoseconds(Date().timeIntervalSince1970))
    }

    package static func gold(index: Int, _ row: GoldenRow) -> InfluxPoint {
        InfluxPoint(
            measurement: "gold_gen", tags: ["i": String(index), "w": row.worker, "d": tag(row.domain), "v": tag(row.voice)],
            tagOrder: ["i", "w", "d", "v"],
            fields: [
                InfluxField("seed_id", .string(row.id)), InfluxField("gen_time", .float(row.seconds)),
                InfluxField("chars", .integer(Int64(row.chars))),
            ],
            timestamp: nanoseconds(row.time))
    }

    /// The reference's `ml metrics`: `golden_set_stats` (nothing when the set is empty), then one
    /// `golden_set_domain` per domain and one `golden_set_voice` per voice, in name order, rounded as it rounds.
    package static func goldenSet(_ rows: [GoldenRow], time: Date) -> [InfluxPoint] {
        guard !rows.isEmpty else { return [] }
        let stamp = nanoseconds(time.timeIntervalSince1970)
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        func round(_ value: Double, _ places: Int) -> Double {
            let scale = pow(10, Double(places))
            return (value * scale).rounded() / scale
        }
        var points = [InfluxPoint(
            measurement: "golden_set_stats", tags: [:],
            fields: [
                InfluxField("total_examples", .integer(Int64(rows.count))),
                InfluxField("domains", .integer(Int64(Set(rows.map { tag($0.domain) }).count))),
                InfluxField("voices", .integer(Int64(Set(rows.map { tag($0.voice) }).count))),
                InfluxField("avg_gen_time", .float(round(mean(rows.map(\.seconds)), 2))),
                InfluxField("avg_response_chars", .float(round(mean(rows.map { Double($0.chars) }), 0))),
                InfluxField("completion_pct", .float(round(Double(rows.count) / Double(goldenTarget) * 100, 1))),
            ],
            timestamp: stamp)]
        for (domain, group) in Dictionary(grouping: rows, by: { tag($0.domain) }).sorted(by: { $0.key < $1.key }) {
            points.append(InfluxPoint(
                measurement: "golden_set_domain", tags: ["domain": domain],
                fields: [InfluxField("count", .integer(Int64(group.count))),
                         InfluxField("avg_gen_time", .float(round(mean(group.map(\.seconds)), 2)))],
                timestamp: stamp))
        }
        for (voice, group) in Dictionary(grouping: rows, by: { tag($0.voice) }).sorted(by: { $0.key < $1.key }) {
            points.append(InfluxPoint(
                measurement: "golden_set_voice", tags: ["voice": voice],
                fields: [InfluxField("count", .integer(Int64(group.count))),
                         InfluxField("avg_chars", .float(round(mean(group.map { Double($0.chars) }), 0))),
                         InfluxField("avg_gen_time", .float(round(mean(group.map(\.seconds)), 2)))],
                timestamp: stamp))
        }
        return points
    }

    private static func tag(_ value: String) -> String { value.isEmpty ? "unknown" : value }
    private static func nanoseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
}
