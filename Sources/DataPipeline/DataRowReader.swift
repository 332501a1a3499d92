import Evaluation
import Foundation
import JSONValues

/// One input row: its fields as text, and where it was read (file and line, 1-based).
package struct DataRow: Sendable {
    package var fields: [String: String]
    package var file: String
    package var line: Int

    package var source: String { "\(URL(fileURLWithPath: file).lastPathComponent):\(line)" }
}

/// A row that could not be used, named by file and line.
package struct RowProblem: Sendable, CustomStringConvertible, Hashable {
    package var file: String
    package var line: Int
    package var message: String

    package var description: String { "\(file):\(line): \(message)" }
}

/// Reads JSON lines (`.jsonl`, `.json`, anything else) or CSV (`.csv`, with a header row; RFC 4180 quoting,
/// quoted fields may span lines), through ``TextLineReader``: `\n` or `\r\n` endings, each line strict UTF-8 on its
/// own. JSON strings and numbers become text (a number as written); a chat-format row (`{"messages": [...]}`, as
/// `ml data export` and the reference write) becomes `prompt` (first user message) and `response` (first assistant
/// message). An `id` must be a string or an integer. Bad rows become problems named by file and line; the rest is
/// kept. Only a file that cannot be opened at all throws.
package enum DataRowReader {
    package static func read(_ path: String) throws -> (rows: [DataRow], problems: [RowProblem]) {
        let lines: [TextLine]
        do {
            lines = try TextLineReader.lines(path: path)
        } catch {
            throw DataPipelineError(.input, "cannot read \(path): \(error)", underlying: error)
        }
        return path.lowercased().hasSuffix(".csv") ? csv(lines, file: path) : jsonLines(lines, file: path)
    }

    static func jsonLines(_ lines: [TextLine], file: String) -> (rows: [DataRow], problems: [RowProblem]) {
        var rows: [DataRow] = []
        var problems: [RowProblem] = []
        for line in lines {
            guard case .text(let text) = line.content else {
                problems.append(RowProblem(file: file, line: line.number, message: line.problem ?? "unreadable"))
                continue
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            // JSONSerialization, not JSONDecoder/JSONValue: its NSNumber keeps a number's text as written, and a
            // number can be a row's id. Measured (swift-corelibs-foundation, Swift 6.3): `1.0`, `-0.0`, `1E3` and
            // `100000000000000000000000` read back as "1.0", "-0.0", "1000.0" and the same digits here, but as "1",
            // "0", "1000" and "1e+23" through JSONDecoder (Int64, then Double), so re-importing a file whose ids are
            // floats (pandas writes them) would make new rows instead of being idempotent.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                problems.append(RowProblem(file: file, line: line.number, message: "not a JSON object"))
                continue
            }
            // JSONValue for the id's type: JSONSerialization's NSNumber does not tell `true` from `1`.
            if let problem = idProblem(JSONValue.parse(trimmed)?.objectValue?["id"]) {
                problems.append(RowProblem(file: file, line: line.number, message: problem))
                continue
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case let string as String: fields[key] = string
                case let number as NSNumber: fields[key] = number.stringValue
                default: continue
                }
            }
            if let messages = object["messages"] as? [[String: Any]] {
                let first = { (role: String) in messages.first { $0["role"] as? String == role }?["content"] as? String }
                fields["prompt"] = fields["prompt"] ?? first("user")
                fields["response"] = fields["response"] ?? first("assistant")
            }
            append(DataRow(fields: fields, file: file, line: line.number), to: &rows, problems: &problems)
        }
        return (rows, problems)
    }

    /// Why `id` is unusable, or nil for none, a string or an integer (`1.0` counts: pandas writes integer ids so,
    /// and they are kept as written).
    static func idProblem(_ id: JSONValue?) -> String? {
        switch id {
        case nil, .string: return nil
        case .number(let value) where value.isFinite && value.rounded() == value: return nil
        case .number(let value): return "\"id\" must be a string or an integer, not \(value)"
        case .null: return "\"id\" must be a string or an integer, not null"
        case .some(let other):
            let article = other.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "\"id\" must be a string or an integer, not \(article) \(other.typeName)"
        }
    }

    /// Keeps `row` unless a field holds U+0000, which neither engine can store whole (SQLite cut the text there,
    /// PostgreSQL refused the whole file).
    static func append(_ row: DataRow, to rows: inout [DataRow], problems: inout [RowProblem]) {
        if let field = row.fields.sorted(by: { $0.key < $1.key }).first(where: { $0.value.utf8.contains(0) })?.key {
            problems.append(RowProblem(
                file: row.file, line: row.line,
                message: "\"\(field)\" contains a NUL character (U+0000), which the workspace cannot store; row skipped"))
        } else {
            rows.append(row)
        }
    }

    static func csv(_ lines: [TextLine], file: String) -> (rows: [DataRow], problems: [RowProblem]) {
        var records: [(line: Int, fields: [String])] = []
        var problems: [RowProblem] = []
        var index = 0
        while index < lines.count {
            let first = lines[index]
            guard case .text = first.content else {
                problems.append(RowProblem(file: file, line: first.number, message: first.problem ?? "unreadable"))
                index += 1
                continue
            }
            switch record(lines, from: index) {
            case .record(let fields, let next):
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((first.number, fields)) }
                index = next
            case .bad(let message, let next):
                problems.append(RowProblem(file: file, line: first.number, message: message))
                index = next
            }
        }
        guard let header = records.first else { return ([], problems) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var rows: [DataRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append(RowProblem(
                    file: file, line: record.line,
                    message: "\(record.fields.count) fields, the header has \(names.count)"))
                continue
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) where !value.isEmpty { values[name] = value }
            append(DataRow(fields: values, file: file, line: record.line), to: &rows, problems: &problems)
        }
        problems.sort { $0.line < $1.line }
        return (rows, problems)
    }

    enum CSVRecord {
        /// The record's fields and the index of the line after it.
        case record([String], next: Int)
        /// The record cannot be read; parsing resumes at `next`.
        case bad(String, next: Int)
    }

    /// The CSV record starting at `lines[start]`; a quoted field continues onto the following lines. Why resume at
    /// the next line after an unterminated quote: reading to the end of the file would merge every later row into
    /// one field and lose them silently.
    static func record(_ lines: [TextLine], from start: Int) -> CSVRecord {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var index = start
        while true {
            guard case .text(let text) = lines[index].content else {
                return .bad("line \(lines[index].number) of this quoted field is \(lines[index].problem ?? "unreadable")", next: index + 1)
            }
            var characters = text.makeIterator()
            var pending: Character? = nil
            func next() -> Character? {
                if let character = pending {
                    pending = nil
                    return character
                }
                return characters.next()
            }
            while let character = next() {
                if inQuotes {
                    if character == "\"" {
                        if let following = next() {
                            if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                        } else {
                            inQuotes = false
                        }
                    } else {
                        field.append(character)
                    }
                    continue
                }
                switch character {
                case "\"" where field.isEmpty: inQuotes = true
                case ",":
                    fields.append(field)
                    field = ""
                default: field.append(character)
                }
            }
            guard inQuotes else {
                fields.append(field)
                return .record(fields, next: index + 1)
            }
            index += 1
            guard index < lines.count else {
                return .bad("unterminated quoted field; the row is skipped and reading resumes on the next line", next: start + 1)
            }
            field.append("\n")
        }
    }
}
