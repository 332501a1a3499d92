/// What a user's ad-hoc query may not do on PostgreSQL, checked before it runs.
///
/// Why a denylist on top of the `READ ONLY` transaction: read-only does not stop functions with effects outside
/// the database — `pg_terminate_backend` ended another session, and `pg_read_file`, `pg_reload_conf` or
/// `COPY … TO PROGRAM` reach the server machine — and PostgreSQL has no setting (`SET LOCAL …`) that forbids
/// calling a function; only a less privileged role would, which the workspace's user may not be able to take.
/// So the statement must be a query (`SELECT`, `WITH`, `VALUES`, `TABLE`, `EXPLAIN`, `SHOW`: no `DO`, `COPY`,
/// `CALL`, `SET`), and may not call a server-admin function. Names inside string literals are data and allowed;
/// everything else counts — comments and dollar-quoted text included, where a false alarm is the safe side.
enum PostgresQueryGuard {
    /// Statements that only read.
    static let queries: Set<String> = ["select", "with", "values", "table", "explain", "show"]
    /// Server-admin functions, refused by name.
    static let functions: Set<String> = [
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
        "pg_switch_wal", "pg_create_restore_point", "pg_stat_file", "pg_file_write", "set_config", "dblink",
        "dblink_exec", "pg_backup_start", "pg_backup_stop", "pg_log_backend_memory_contexts",
    ]
    /// Families refused by prefix: reading server files and directories, large objects to and from files.
    static let functionPrefixes = ["pg_read_", "pg_ls_", "lo_", "pg_logical_", "pg_replication_"]

    /// Throws the reason when `sql` may not run.
    static func check(_ sql: String) throws -> String {
        let words = tokens(sql)
        guard let first = words.first(where: { $0.word != "(" })?.word, queries.contains(first) else {
            throw WorkspaceError(.database, "only a query may run here (SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW)")
        }
        for (index, token) in words.enumerated() where index + 1 < words.count && words[index + 1].word == "(" {
            if functions.contains(token.word) || functionPrefixes.contains(where: token.word.hasPrefix) {
                throw WorkspaceError(.database, "\(token.word) is a server-admin function: not allowed in a query")
            }
        }
        return first
    }

    /// Identifiers (lowercased; quoted ones unquoted) and single punctuation characters, string literals skipped.
    static func tokens(_ sql: String) -> [(word: String, quoted: Bool)] {
        var result: [(String, Bool)] = []
        let characters = Array(sql)
        var index = 0
        func isIdentifier(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
        while index < characters.count {
            let c = characters[index]
            if c == "'" {
                // E'…' strings escape with a backslash; every string also with a doubled quote.
                let escapes = index > 0 && (characters[index - 1] == "e" || characters[index - 1] == "E")
                    && (index < 2 || !isIdentifier(characters[index - 2]))
                if escapes, let last = result.last, last.0 == "e" { result.removeLast() }
                index += 1
                while index < characters.count {
                    if escapes && characters[index] == "\\" { index += 2; continue }
                    if characters[index] == "'" {
                        if index + 1 < characters.count && characters[index + 1] == "'" { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            } else if c == "\"" {
                var word = ""
                index += 1
                while index < characters.count {
                    if characters[index] == "\"" {
                        if index + 1 < characters.count && characters[index + 1] == "\"" { word.append("\""); index += 2; continue }
                        break
                    }
                    word.append(characters[index])
                    index += 1
                }
                index += 1
                result.append((word.lowercased(), true))
            } else if isIdentifier(c) {
                var word = ""
                while index < characters.count && isIdentifier(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                result.append((word.lowercased(), false))
            } else {
                if !c.isWhitespace { result.append((String(c), false)) }
                index += 1
            }
        }
        return result
    }
}
