import Foundation

/// Scoring, approval and export reads and writes.
extension WorkspaceStore {
    private static var answeredColumns: String {
        "a.prompt_id, p.prompt, a.response, a.model, a.finish_reason, p.region, p.domain, p.voice"
    }

    private static func answered(_ row: SQLRow) -> AnsweredPrompt {
        AnsweredPrompt(
            promptID: row["prompt_id"].string ?? "", prompt: row["prompt"].string ?? "",
            response: row["response"].string ?? "", model: row["model"].string ?? "",
            finishReason: row["finish_reason"].string ?? "", region: row["region"].string,
            domain: row["domain"].string, voice: row["voice"].string)
    }

    /// Answers without a score from `scorer`, oldest first.
    public func answersToScore(scorer: String, limit: Int? = nil) async throws -> [AnsweredPrompt] {
        try await read { tx in
            var binds: [SQLValue] = [.text(scorer)]
            var sql = """
                SELECT \(Self.answeredColumns) FROM answers a JOIN prompts p ON p.id = a.prompt_id
                WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.prompt_id = a.prompt_id AND s.scorer = ?)
                ORDER BY a.created_at, a.prompt_id
                """
            if let limit {
                sql += " LIMIT ?"
                binds.append(.integer(Int64(limit)))
            }
            return try await tx.rows(sql, binds).map(Self.answered)
        }
    }

    /// Upserts scores (a re-score replaces a value) in one transaction.
    public func saveScores(_ scores: [ScoreRecord]) async throws {
        let now = Self.now
        try await write { tx in
            for score in scores {
                try await tx.execute(
                    """
                    INSERT INTO scores (prompt_id, scorer, metric, value, detail, source, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (prompt_id, scorer, metric) DO UPDATE SET value = excluded.value,
                        detail = excluded.detail, source = excluded.source, created_at = excluded.created_at
                    """,
                    [.text(score.promptID), .text(score.scorer), .text(score.metric), SQLValue(score.value),
                     SQLValue(score.detail), .text(score.source), .double(now)])
            }
        }
    }

    /// Answers without an approval decision, with every score they have (`scorer.metric` → value).
    public func answersToApprove() async throws -> [(answer: AnsweredPrompt, scores: [String: Double])] {
        try await read { tx in
            let answers = try await tx.rows(
                """
                SELECT \(Self.answeredColumns) FROM answers a JOIN prompts p ON p.id = a.prompt_id
                WHERE NOT EXISTS (SELECT 1 FROM approvals v WHERE v.prompt_id = a.prompt_id)
                ORDER BY a.prompt_id
                """
            ).map(Self.answered)
            var scores: [String: [String: Double]] = [:]
            for row in try await tx.rows(
                """
                SELECT s.prompt_id, s.scorer, s.metric, s.value FROM scores s
                WHERE NOT EXISTS (SELECT 1 FROM approvals v WHERE v.prompt_id = s.prompt_id)
                """)
            {
                guard let id = row["prompt_id"].string, let value = row["value"].double else { continue }
                scores[id, default: [:]]["\(row["scorer"].string ?? "").\(row["metric"].string ?? "")"] = value
            }
            return answers.map { ($0, scores[$0.promptID] ?? [:]) }
        }
    }

    /// Records approval decisions; approved answers join the golden set (id = prompt id, source = `answer:MODEL`),
    /// all in one transaction. Returns how many joined the golden set.
    @discardableResult
    public func saveApprovals(_ approvals: [(ApprovalRecord, AnsweredPrompt)]) async throws -> Int {
        let now = Self.now
        return try await write { tx in
            var golden: [GoldenRecord] = []
            for (approval, answer) in approvals {
                try await tx.execute(
                    """
                    INSERT INTO approvals (prompt_id, approved, rule, reason, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (prompt_id) DO UPDATE SET approved = excluded.approved, rule = excluded.rule,
                        reason = excluded.reason, created_at = excluded.created_at
                    """,
                    [.text(approval.promptID), .integer(approval.approved ? 1 : 0), .text(approval.rule),
                     SQLValue(approval.reason), .double(now)])
                if approval.approved {
                    golden.append(GoldenRecord(
                        id: answer.promptID, prompt: answer.prompt, response: answer.response, region: answer.region,
                        domain: answer.domain, voice: answer.voice, promptID: answer.promptID,
                        source: "answer:\(answer.model)"))
                }
            }
            return try await Self.insertGolden(golden, into: tx).inserted
        }
    }

    /// The golden set in id order (the export's input; its shuffle is seeded, so the order here must be stable).
    public func golden() async throws -> [GoldenRecord] {
        try await read { tx in
            try await tx.rows(
                "SELECT id, prompt, response, region, domain, voice, prompt_id, source FROM golden ORDER BY id"
            ).map {
                GoldenRecord(
                    id: $0["id"].string ?? "", prompt: $0["prompt"].string ?? "", response: $0["response"].string ?? "",
                    region: $0["region"].string, domain: $0["domain"].string, voice: $0["voice"].string,
                    promptID: $0["prompt_id"].string, source: $0["source"].string ?? "")
            }
        }
    }

    /// Records an export (directory, seed, split, counts JSON, the manifest's SHA-256).
    public func recordExport(id: String, directory: String, seed: UInt64, split: String, counts: String,
                             manifestSHA256: String) async throws {
        try await write { tx in
            try await tx.execute(
                """
                INSERT INTO exports (id, directory, seed, split, counts, manifest_sha256, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(id), .text(directory), .integer(Int64(bitPattern: seed)), .text(split), .text(counts),
                 .text(manifestSHA256), .double(Self.now)])
        }
    }
}
