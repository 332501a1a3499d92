import Foundation

extension WorkspaceStore {
    static var now: Double { Date().timeIntervalSince1970 }

    /// Inserts seeds whose id is new; an existing id is left as it is (re-import is idempotent). Returns how many
    /// were new.
    @discardableResult
    public func insertSeeds(_ seeds: [SeedRecord]) async throws -> Int {
        try await importSeeds(seeds).inserted
    }

    /// ``insertSeeds(_:)``, also naming the rows whose id is already stored with another prompt.
    public func importSeeds(_ seeds: [SeedRecord]) async throws -> InsertOutcome {
        try await write { tx in
            var outcome = InsertOutcome()
            for (index, seed) in seeds.enumerated() {
                try await outcome.add(index, Self.insertOrCompare(
                    tx, table: "seeds", id: seed.id, content: ["prompt": seed.prompt],
                    insert: """
                        INSERT INTO seeds (id, prompt, region, domain, voice, source, imported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                        """,
                    [.text(seed.id), .text(seed.prompt), SQLValue(seed.region), SQLValue(seed.domain),
                     SQLValue(seed.voice), .text(seed.source), .double(Self.now)]))
            }
            return outcome
        }
    }

    /// Inserts prompts whose id is new (idempotent). Returns how many were new.
    @discardableResult
    public func insertPrompts(_ prompts: [PromptRecord]) async throws -> Int {
        try await importPrompts(prompts).inserted
    }

    /// ``insertPrompts(_:)``, also naming the rows whose id is already stored with another prompt.
    public func importPrompts(_ prompts: [PromptRecord]) async throws -> InsertOutcome {
        try await write { tx in
            var outcome = InsertOutcome()
            for (index, prompt) in prompts.enumerated() {
                try await outcome.add(index, Self.insertOrCompare(
                    tx, table: "prompts", id: prompt.id, content: ["prompt": prompt.prompt],
                    insert: """
                        INSERT INTO prompts (id, seed_id, prompt, region, domain, voice, priority, source, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                        """,
                    [.text(prompt.id), SQLValue(prompt.seedID), .text(prompt.prompt), SQLValue(prompt.region),
                     SQLValue(prompt.domain), SQLValue(prompt.voice), .integer(Int64(prompt.priority)),
                     .text(prompt.source), .double(Self.now)]))
            }
            return outcome
        }
    }

    /// Inserts golden rows whose id is new (idempotent). Returns how many were new.
    @discardableResult
    public func insertGolden(_ rows: [GoldenRecord]) async throws -> Int {
        try await importGolden(rows).inserted
    }

    /// ``insertGolden(_:)``, also naming the rows whose id is already stored with another prompt or response.
    public func importGolden(_ rows: [GoldenRecord]) async throws -> InsertOutcome {
        try await write { tx in try await Self.insertGolden(rows, into: tx) }
    }

    static func insertGolden(_ rows: [GoldenRecord], into tx: any WorkspaceTransaction) async throws -> InsertOutcome {
        var outcome = InsertOutcome()
        for (index, row) in rows.enumerated() {
            try await outcome.add(index, insertOrCompare(
                tx, table: "golden", id: row.id, content: ["prompt": row.prompt, "response": row.response],
                insert: """
                    INSERT INTO golden (id, prompt, response, region, domain, voice, prompt_id, source, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                    """,
                [.text(row.id), .text(row.prompt), .text(row.response), SQLValue(row.region), SQLValue(row.domain),
                 SQLValue(row.voice), SQLValue(row.promptID), .text(row.source), .double(Self.now)]))
        }
        return outcome
    }

    /// Runs `insert` (`… ON CONFLICT (id) DO NOTHING RETURNING id`); when the id was already there, compares the
    /// stored `content` columns with the given ones. Why: "already present" must mean the same row — a different
    /// row under a known id is a conflict the user has to hear about, not a silent drop.
    static func insertOrCompare(
        _ tx: any WorkspaceTransaction, table: String, id: String, content: [String: String],
        insert: String, _ binds: [SQLValue]
    ) async throws -> InsertOutcome.Row {
        if try await !tx.rows(insert, binds).isEmpty { return .inserted }
        let columns = content.keys.sorted()
        let stored = try await tx.rows("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE id = ?", [.text(id)])
        guard let row = stored.first else { return .inserted }
        let same = columns.allSatisfy { row[$0].string == content[$0] }
        return same ? .alreadyPresent : .conflict
    }

    /// Every seed, in id order.
    public func seeds() async throws -> [SeedRecord] {
        try await read { tx in
            try await tx.rows("SELECT id, prompt, region, domain, voice, source FROM seeds ORDER BY id").map {
                SeedRecord(id: $0["id"].string ?? "", prompt: $0["prompt"].string ?? "", region: $0["region"].string,
                           domain: $0["domain"].string, voice: $0["voice"].string, source: $0["source"].string ?? "")
            }
        }
    }

    /// The text of every prompt already queued or answered, and of every golden row: what normalize must not
    /// queue again.
    public func knownPromptTexts() async throws -> (queued: Set<String>, golden: Set<String>) {
        try await read { tx in
            let queued = try await tx.rows("SELECT prompt FROM prompts").compactMap { $0.values[0].string }
            let golden = try await tx.rows("SELECT prompt FROM golden").compactMap { $0.values[0].string }
            return (Set(queued), Set(golden))
        }
    }

    /// Golden rows per domain (`""` for none): normalize favours domains with few.
    public func goldenCountsByDomain() async throws -> [String: Int] {
        try await read { tx in
            var counts: [String: Int] = [:]
            for row in try await tx.rows(
                "SELECT COALESCE(domain, '') AS domain, COUNT(*) AS n FROM golden GROUP BY COALESCE(domain, '')")
            {
                counts[row["domain"].string ?? ""] = row["n"].int ?? 0
            }
            return counts
        }
    }
}
