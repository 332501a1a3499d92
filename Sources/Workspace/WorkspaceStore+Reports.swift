import Foundation

/// Counts per stage, per worker, and throughput: what `ml data status` shows.
public struct WorkspaceStatus: Sendable, Codable, Hashable {
    public struct Worker: Sendable, Codable, Hashable {
        public var id: String
        public var host: String
        public var model: String
        public var answered: Int
        public var startedAt: Double
        public var lastHeartbeat: Double
        public var stoppedAt: Double?
    }

    public var seeds: Int
    public var prompts: Int
    public var pending: Int
    /// Pending prompts under a live lease (being answered now).
    public var leased: Int
    /// Pending prompts that failed `attempts` times and carry the last error.
    public var failed: Int
    public var answered: Int
    public var scored: Int
    public var approved: Int
    public var rejected: Int
    public var golden: Int
    public var exports: Int
    /// Answers stored in the last minute.
    public var answersLastMinute: Int
    public var workers: [Worker]
}

/// One region × domain cell of seed coverage.
public struct CoverageCell: Sendable, Codable, Hashable {
    public var region: String
    public var domain: String
    public var seeds: Int
    public var golden: Int
}

/// The result of a read-only query: column names and rows.
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    /// The row cap cut the result: the query had more rows than ``rows``.
    public var truncated = false
}

/// How far a user's ad-hoc query may go.
public struct QueryLimits: Sendable, Hashable {
    /// Longest run of the statement on the server.
    public var timeout: Duration
    /// Rows returned at most; the rest are not fetched.
    public var maxRows: Int

    public init(timeout: Duration = .seconds(30), maxRows: Int = 10_000) {
        self.timeout = timeout
        self.maxRows = max(1, maxRows)
    }
}

extension WorkspaceStore {
    public func status() async throws -> WorkspaceStatus {
        let now = Self.now
        return try await read { tx in
            let workers = try await tx.rows(
                """
                SELECT id, host, model, answered, started_at, last_heartbeat, stopped_at FROM workers
                ORDER BY started_at, id
                """
            ).map {
                WorkspaceStatus.Worker(
                    id: $0["id"].string ?? "", host: $0["host"].string ?? "", model: $0["model"].string ?? "",
                    answered: $0["answered"].int ?? 0, startedAt: $0["started_at"].double ?? 0,
                    lastHeartbeat: $0["last_heartbeat"].double ?? 0, stoppedAt: $0["stopped_at"].double)
            }
            return WorkspaceStatus(
                seeds: try await tx.count("SELECT COUNT(*) FROM seeds"),
                prompts: try await tx.count("SELECT COUNT(*) FROM prompts"),
                pending: try await tx.count("SELECT COUNT(*) FROM prompts WHERE state = 'pending'"),
                leased: try await tx.count(
                    "SELECT COUNT(*) FROM prompts WHERE state = 'pending' AND lease_expires >= ?", [.double(now)]),
                failed: try await tx.count(
                    "SELECT COUNT(*) FROM prompts WHERE state = 'pending' AND last_error IS NOT NULL"),
                answered: try await tx.count("SELECT COUNT(*) FROM answers"),
                scored: try await tx.count("SELECT COUNT(DISTINCT prompt_id) FROM scores"),
                approved: try await tx.count("SELECT COUNT(*) FROM approvals WHERE approved = 1"),
                rejected: try await tx.count("SELECT COUNT(*) FROM approvals WHERE approved = 0"),
                golden: try await tx.count("SELECT COUNT(*) FROM golden"),
                exports: try await tx.count("SELECT COUNT(*) FROM exports"),
                answersLastMinute: try await tx.count(
                    "SELECT COUNT(*) FROM answers WHERE created_at >= ?", [.double(now - 60)]),
                workers: workers)
        }
    }

    /// Every table of the schema with its row count.
    public func inventory() async throws -> [(table: String, rows: Int)] {
        try await read { tx in
            var result: [(String, Int)] = []
            for table in WorkspaceSchema.tables {
                result.append((table, try await tx.count("SELECT COUNT(*) FROM \(table)")))
            }
            return result
        }
    }

    /// Seeds and golden rows per region × domain (`""` where unset), every pair of a seen region and a seen
    /// domain included, so empty cells — the gaps — show as zeros.
    public func coverage() async throws -> [CoverageCell] {
        try await read { tx in
            func counts(_ table: String) async throws -> [String: Int] {
                var result: [String: Int] = [:]
                for row in try await tx.rows(
                    """
                    SELECT COALESCE(region, '') AS region, COALESCE(domain, '') AS domain, COUNT(*) AS n
                    FROM \(table) GROUP BY COALESCE(region, ''), COALESCE(domain, '')
                    """)
                {
                    result["\(row["region"].string ?? "")\u{1F}\(row["domain"].string ?? "")"] = row["n"].int ?? 0
                }
                return result
            }
            let seeds = try await counts("seeds")
            let golden = try await counts("golden")
            let keys = Set(seeds.keys).union(golden.keys).map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false) }
            let regions = Set(keys.map { String($0[0]) }).sorted()
            let domains = Set(keys.map { String($0[1]) }).sorted()
            return regions.flatMap { region in
                domains.map { domain in
                    let key = "\(region)\u{1F}\(domain)"
                    return CoverageCell(region: region, domain: domain, seeds: seeds[key] ?? 0, golden: golden[key] ?? 0)
                }
            }
        }
    }

    /// Runs a user's `sql` in a read-only transaction (SQLite: `query_only`; PostgreSQL: `READ ONLY`), so it cannot
    /// change the workspace whatever it says, within `limits` (see ``WorkspaceTransaction/query(_:limits:)``).
    public func query(_ sql: String, limits: QueryLimits = QueryLimits()) async throws -> QueryResult {
        try await read { tx in try await tx.query(sql, limits: limits) }
    }
}
