import Foundation
import JSONValues
import Workspace

/// The reference toolkit's DuckDB tables that have a counterpart in the workspace, and how one of their rows
/// becomes a workspace record. Ids are ``PromptIdentity`` ids of the prompt (as for JSON-lines rows without an id),
/// so importing the same file twice, or the same prompt from a JSON-lines file, stores it once. The reference's
/// keys (`idx`, `seed_id`, `source_file`) are kept in the record's `source`.
package enum ReferenceTables {
    /// A row that became a record, or why it did not.
    package enum Mapped<Record: Sendable>: Sendable {
        case record(Record)
        /// Not usable (a NULL or empty prompt): named as a problem, the import exits non-zero.
        case problem(String)
        /// Left out on purpose (an expansion prompt the reference already answered): counted in a note.
        case leftOut(reason: String)
    }

    package static let golden = DuckDBReader.TableRequest(
        name: "golden_set",
        columns: ["idx", "seed_id", "domain", "voice", "prompt", "response", "gen_time", "char_count", "word_count"],
        orderBy: "idx")
    package static let seeds = DuckDBReader.TableRequest(
        name: "seeds", columns: ["source_file", "region", "seed_id", "domain", "prompt"], orderBy: nil)
    package static let expansionPrompts = DuckDBReader.TableRequest(
        name: "expansion_prompts",
        columns: ["idx", "seed_id", "region", "domain", "language", "prompt", "prompt_en", "priority", "status"],
        orderBy: "idx")

    /// The tables read, in import order (seeds before the prompts and golden rows made from them).
    package static let all = [seeds, expansionPrompts, golden]

    /// Why the reference's other tables are not imported.
    package static func reasonLeftOut(_ table: String) -> String {
        switch table {
        case "training_examples":
            "training splits the reference exported from its golden set (import golden_set instead, or the JSON-lines files with --kind golden)"
        case "benchmark_results", "benchmark_questions", "checkpoint_scores", "probe_results", "scoring_results",
             "validations", "gemini_responses":
            "benchmark and scoring results: the workspace holds training data only (ml score / ml report keep results)"
        default:
            "no counterpart in the workspace"
        }
    }

    /// One row's values by column name.
    package struct Row: Sendable {
        package var values: [String: JSONValue]

        package init(columns: [String], values: [JSONValue]) {
            var byName: [String: JSONValue] = [:]
            for (column, value) in zip(columns, values) { byName[column] = value }
            self.values = byName
        }

        /// The column as trimmed text (an integer as written), nil when NULL or empty.
        package func text(_ column: String) -> String? {
            switch values[column] {
            case .string(let text)?:
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            case .number?:
                return values[column]?.intValue.map(String.init) ?? values[column]?.doubleValue.map { "\($0)" }
            case .bool(let flag)?:
                return flag ? "true" : "false"
            default:
                return nil
            }
        }

        /// The column's text unless it holds U+0000, which neither engine can store (the row would fail whole).
        func storable(_ column: String) -> Result<String?, RowText> {
            guard let text = text(column) else { return .success(nil) }
            return text.contains("\u{0}") ? .failure(RowText(message: "\(column) holds a NUL character")) : .success(text)
        }
    }

    struct RowText: Error { var message: String }

    /// `golden_set` → a golden row (`gen_time`, `char_count`, `word_count` are derived or run facts, not kept).
    package static func goldenRecord(_ row: Row, file: String) -> Mapped<GoldenRecord> {
        do {
            guard let prompt = try row.storable("prompt").get() else { return .problem("prompt is NULL or empty") }
            guard let response = try row.storable("response").get() else { return .problem("response is NULL or empty") }
            return .record(GoldenRecord(
                id: PromptIdentity.id(for: prompt), prompt: prompt, response: response,
                domain: try row.storable("domain").get(), voice: try row.storable("voice").get(),
                source: source(file, "golden_set", row.text("idx"))))
        } catch {
            return .problem(error.message)
        }
    }

    /// `seeds` → a seed.
    package static func seedRecord(_ row: Row, file: String) -> Mapped<SeedRecord> {
        do {
            guard let prompt = try row.storable("prompt").get() else { return .problem("prompt is NULL or empty") }
            let key = [row.text("source_file"), row.text("seed_id")].compactMap { $0 }.joined(separator: "#")
            return .record(SeedRecord(
                id: PromptIdentity.id(for: prompt), prompt: prompt, region: try row.storable("region").get(),
                domain: try row.storable("domain").get(), source: source(file, "seeds", key.isEmpty ? nil : key)))
        } catch {
            return .problem(error.message)
        }
    }

    /// `expansion_prompts` → a queued prompt. Only `pending` rows (or a NULL status) are queued: the others the
    /// reference already expanded or gave up on. The reference claims the lowest `priority` first, the workspace
    /// the highest, so the priority is negated to keep the order; a NULL priority, last in the reference's order
    /// (DuckDB sorts NULLs last), becomes the lowest.
    package static func promptRecord(_ row: Row, file: String) -> Mapped<PromptRecord> {
        if let status = row.text("status"), status != "pending" { return .leftOut(reason: "status '\(status)'") }
        do {
            guard let prompt = try row.storable("prompt").get() else { return .problem("prompt is NULL or empty") }
            let priority = row.values["priority"]?.intValue.map { -$0 } ?? Int(Int32.min)
            return .record(PromptRecord(
                id: PromptIdentity.id(for: prompt), prompt: prompt, region: try row.storable("region").get(),
                domain: try row.storable("domain").get(), priority: priority,
                source: source(file, "expansion_prompts", row.text("idx"))))
        } catch {
            return .problem(error.message)
        }
    }

    /// `FILE:TABLE:KEY`: the file's name (as JSON-lines sources name theirs), the table, the reference's key.
    static func source(_ file: String, _ table: String, _ key: String?) -> String {
        "\(URL(fileURLWithPath: file).lastPathComponent):\(table)\(key.map { ":\($0)" } ?? "")"
    }
}
