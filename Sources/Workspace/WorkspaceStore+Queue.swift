import Foundation

/// The work queue: prompts in state `pending` are claimed under a lease, answered, and marked `answered`.
extension WorkspaceStore {
    /// Registers (or re-registers) a worker and records its heartbeat.
    public func register(worker: WorkerRecord) async throws {
        try await write { tx in
            try await tx.execute(
                """
                INSERT INTO workers (id, host, model, started_at, last_heartbeat, answered, stopped_at)
                VALUES (?, ?, ?, ?, ?, 0, NULL)
                ON CONFLICT (id) DO UPDATE SET host = excluded.host, model = excluded.model,
                    last_heartbeat = excluded.last_heartbeat, stopped_at = NULL
                """,
                [.text(worker.id), .text(worker.host), .text(worker.model), .double(worker.startedAt),
                 .double(worker.lastHeartbeat)])
        }
    }

    /// Claims up to `limit` pending prompts whose lease is free or expired for `worker` until `lease` from now,
    /// highest priority first. One statement: the rows are selected and leased atomically (SQLite: inside the
    /// immediate transaction; PostgreSQL: `FOR UPDATE SKIP LOCKED`). Prompts that failed `maxAttempts` times
    /// are not handed out again.
    public func claim(worker: String, limit: Int, lease: Duration, maxAttempts: Int = 5) async throws -> [ClaimedPrompt] {
        guard limit > 0 else { return [] }
        let now = Self.now
        let lockClause = claimLockClause
        let rows = try await write { tx in
            try await tx.rows(
                """
                UPDATE prompts SET lease_owner = ?, lease_expires = ?, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM prompts
                    WHERE state = 'pending' AND attempts < ? AND (lease_expires IS NULL OR lease_expires < ?)
                    ORDER BY priority DESC, id LIMIT ? \(lockClause))
                RETURNING id, prompt, priority, attempts
                """,
                [.text(worker), .double(now + (lease / .seconds(1))), .integer(Int64(maxAttempts)), .double(now),
                 .integer(Int64(limit))])
        }
        // RETURNING's order is unspecified: hand them out in queue order.
        return rows.sorted {
            let (left, right) = ($0["priority"].int ?? 0, $1["priority"].int ?? 0)
            return left != right ? left > right : ($0["id"].string ?? "") < ($1["id"].string ?? "")
        }.map { ClaimedPrompt(id: $0["id"].string ?? "", prompt: $0["prompt"].string ?? "", attempts: $0["attempts"].int ?? 1) }
    }

    /// Pending prompts that can still be claimed, now or when their lease expires (fewer than `maxAttempts` tries):
    /// a worker with nothing to claim waits while this is above zero.
    public func remaining(maxAttempts: Int = 5) async throws -> Int {
        try await read { tx in
            try await tx.count(
                "SELECT COUNT(*) FROM prompts WHERE state = 'pending' AND attempts < ?", [.integer(Int64(maxAttempts))])
        }
    }

    /// Pending prompts that failed `maxAttempts` times and are no longer handed out (until ``retryFailed(maxAttempts:)``).
    public func exhausted(maxAttempts: Int = 5) async throws -> Int {
        try await read { tx in
            try await tx.count(
                "SELECT COUNT(*) FROM prompts WHERE state = 'pending' AND attempts >= ?", [.integer(Int64(maxAttempts))])
        }
    }

    /// Puts the prompts that used all `maxAttempts` back in the queue with their attempts reset (their last error
    /// is kept until they are answered); returns how many.
    @discardableResult
    public func retryFailed(maxAttempts: Int = 5) async throws -> Int {
        try await write { tx in
            try await tx.rows(
                """
                UPDATE prompts SET attempts = 0, lease_owner = NULL, lease_expires = NULL
                WHERE state = 'pending' AND attempts >= ? RETURNING id
                """,
                [.integer(Int64(maxAttempts))]
            ).count
        }
    }

    /// Extends the worker's live leases to `lease` from now and records its heartbeat.
    public func heartbeat(worker: String, lease: Duration) async throws {
        let now = Self.now
        try await write { tx in
            try await tx.execute(
                "UPDATE prompts SET lease_expires = ? WHERE lease_owner = ? AND state = 'pending'",
                [.double(now + (lease / .seconds(1))), .text(worker)])
            try await tx.execute("UPDATE workers SET last_heartbeat = ? WHERE id = ?", [.double(now), .text(worker)])
        }
    }

    /// Gives back the worker's unanswered prompts (a clean stop) and marks the worker stopped.
    public func release(worker: String, stopped: Bool = true) async throws {
        let now = Self.now
        try await write { tx in
            try await tx.execute(
                """
                UPDATE prompts SET lease_owner = NULL, lease_expires = NULL, attempts = attempts - 1
                WHERE lease_owner = ? AND state = 'pending' AND attempts > 0
                """,
                [.text(worker)])
            if stopped {
                try await tx.execute(
                    "UPDATE workers SET stopped_at = ?, last_heartbeat = ? WHERE id = ?",
                    [.double(now), .double(now), .text(worker)])
            }
        }
    }

    /// Stores answers and marks their prompts answered, in one transaction. An answer for a prompt that already
    /// has one is dropped by the primary key (never a duplicate); the result says how many were stored.
    @discardableResult
    public func saveAnswers(_ answers: [AnswerRecord]) async throws -> (stored: Int, duplicates: Int) {
        guard !answers.isEmpty else { return (0, 0) }
        let now = Self.now
        return try await write { tx in
            var stored = 0
            for answer in answers {
                let inserted = try await tx.rows(
                    """
                    INSERT INTO answers (prompt_id, response, model, model_source, settings, worker_id, finish_reason,
                        prompt_tokens, completion_tokens, started_at, duration_seconds, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prompt_id) DO NOTHING RETURNING prompt_id
                    """,
                    [.text(answer.promptID), .text(answer.response), .text(answer.model), .text(answer.modelSource),
                     .text(answer.settings), .text(answer.workerID), .text(answer.finishReason),
                     SQLValue(answer.promptTokens), SQLValue(answer.completionTokens), .double(answer.startedAt),
                     .double(answer.durationSeconds), .double(now)]
                ).count
                try await tx.execute(
                    """
                    UPDATE prompts SET state = 'answered', lease_owner = NULL, lease_expires = NULL, last_error = NULL
                    WHERE id = ?
                    """,
                    [.text(answer.promptID)])
                if inserted > 0 {
                    stored += 1
                    try await tx.execute(
                        "UPDATE workers SET answered = answered + 1, last_heartbeat = ? WHERE id = ?",
                        [.double(now), .text(answer.workerID)])
                }
            }
            return (stored, answers.count - stored)
        }
    }

    /// Records a failed generation: the prompt's lease is freed at once so another try (or worker) takes it.
    public func recordFailure(promptID: String, worker: String, error: String) async throws {
        try await write { tx in
            try await tx.execute(
                """
                UPDATE prompts SET lease_owner = NULL, lease_expires = NULL, last_error = ?
                WHERE id = ? AND lease_owner = ? AND state = 'pending'
                """,
                [.text(String(error.prefix(1000))), .text(promptID), .text(worker)])
        }
    }
}
