import Foundation

/// A ``ProbeMatrix`` as a table (its own accessible form): a row per probe, a column per checkpoint, newest first;
/// cells `ok` / `no` / `na`, each with `data-a`, the index of its answer in the `#answers` JSON (identical answers
/// stored once), which the page's script shows on hover or click. A probe-result file of several samples per probe
/// adds each probe's tally (`2/4`) to its cells.
enum ProbeMatrixHTML {
    static func render(_ matrix: ProbeMatrix) -> String {
        let e = HTMLEscaping.escape
        var out = "<div class=\"matrix-wrap\"><table class=\"matrix\" id=\"matrix\" data-rows=\"\(matrix.rows.count)\" data-columns=\"\(matrix.columns.count)\">"
        out += "<caption>Probe × checkpoint: ✓ passed, ✗ failed, · not asked. Hover or click a cell for the answer.</caption>"
        out += "<thead><tr><th scope=\"col\">probe</th><th scope=\"col\">category</th>"
        for column in matrix.columns {
            let short = column.iteration.map(String.init) ?? column.name
            out += "<th scope=\"col\" class=\"col\" title=\"\(e(column.name))\"><span>\(e(short))</span></th>"
        }
        out += "</tr></thead><tbody>"
        for row in matrix.rows {
            out += "<tr data-probe=\"\(e(row.probeID))\"><th scope=\"row\">\(e(row.probeID))</th><td>\(e(row.category))</td>"
            for cell in row.cells {
                guard let cell else {
                    out += "<td class=\"na\">·</td>"
                    continue
                }
                var attributes = cell.answer.map { " data-a=\"\($0)\"" } ?? ""
                var tally = ""
                if let passed = cell.samplesPassed, let samples = cell.samples {
                    attributes += " title=\"\(passed) of \(samples) answers passed (the first \(cell.passed ? "passed" : "failed"))\""
                    tally = "<small>\(passed)/\(samples)</small>"
                }
                out += cell.passed ? "<td class=\"ok\"\(attributes)>✓\(tally)</td>" : "<td class=\"no\"\(attributes)>✗\(tally)</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        let json = (try? JSONEncoder().encode(matrix.answers)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        out += "<script type=\"application/json\" id=\"answers\">\(HTMLEscaping.scriptJSON(json))</script>"
        return out
    }
}
