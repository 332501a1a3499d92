import Foundation

/// One input row: its fields as text, and where it was read (file and line, 1-based).
public struct DataRow: Sendable {
    public var fields: [String: String]
    public var file: String
    public var line: Int

    public var source: String { "\(URL(fileURLWithPath: file).lastPathComponent):\(line)" }
}

/// A row that could not be used, named by file and line.
public struct RowProblem: Sendable, CustomStringConvertible, Hashable {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// Reads JSON lines (`.jsonl`, `.json`, anything else) or CSV (`.csv`, with a header row; RFC 4180 quoting,
/// quoted fields may span lines). JSON strings, numbers and booleans become text; a chat-format row
/// (`{"messages": [...]}`, as `ml data export` and the reference write) becomes `prompt` (first user message)
/// and `response` (first assistant message). Bad rows become problems; the rest is kept.
public enum DataRowReader {
    public static func read(_ path: String) throws -> (rows: [DataRow], problems: [RowProblem]) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataPipelineError(.input, "cannot read \(path): \(error.localizedDescription)", underlying: error)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataPipelineError(.input, "\(path) is not UTF-8 text")
        }
        return path.lowercased().hasSuffix(".csv") ? csv(text, file: path) : jsonLines(text, file: path)
    }

    static func jsonLines(_ text: String, file: String) -> (rows: [DataRow], problems: [RowProblem]) {
        var rows: [DataRow] = []
        var problems: [RowProblem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            // JSONSerialization, not JSONDecoder/JSONValue: its NSNumber keeps a number's text as written, and a
            // number can be a row's id. Measured (swift-corelibs-foundation, Swift 6.3): `1.0`, `-0.0`, `1E3` and
            // `100000000000000000000000` read back as "1.0", "-0.0", "1000.0" and the same digits here, but as "1",
            // "0", "1000" and "1e+23" through JSONDecoder (Int64, then Double), so re-importing a file whose ids are
            // floats (pandas writes them) would make new rows instead of being idempotent.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                problems.append(RowProblem(file: file, line: index + 1, message: "not a JSON object"))
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
            rows.append(DataRow(fields: fields, file: file, line: index + 1))
        }
        return (rows, problems)
    }

    static func csv(_ text: String, file: String) -> (rows: [DataRow], problems: [RowProblem]) {
        var records: [(line: Int, fields: [String])] = []
        var problems: [RowProblem] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var characters = Array(text).makeIterator()
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
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if inQuotes { problems.append(RowProblem(file: file, line: recordLine, message: "unterminated quoted field")) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
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
            rows.append(DataRow(fields: values, file: file, line: record.line))
        }
        return (rows, problems)
    }
}
