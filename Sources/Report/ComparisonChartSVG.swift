import Foundation

/// A ``ScoreFileComparison`` as a figure: a grouped horizontal bar chart (one `g.series` per file, one bar per
/// model × metric, each row scaled to its own largest magnitude because metrics have different scales) and the
/// side-by-side table with deltas, as `ml compare` prints it.
enum ComparisonChartSVG {
    static func render(_ comparison: ScoreFileComparison) -> String {
        let e = HTMLEscaping.escape
        let f = ChartGeometry.format
        let files = comparison.files.count
        let bar = 9.0, gap = 8.0, labelWidth = 230.0, width = ChartGeometry.width
        let rowHeight = Double(files) * bar + gap
        let height = Double(comparison.rows.count) * rowHeight + gap
        let points = comparison.rows.reduce(0) { $0 + $1.values.compactMap { $0 }.count }
        var out = "<figure class=\"chart\" id=\"comparison-bars\" data-chart=\"comparison\" data-series=\"\(files)\" data-points=\"\(points)\">"
        out += "<figcaption>Model averages per metric (each row scaled to its largest value)</figcaption>"
        out += "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-labelledby=\"comparison-title\">"
        out += "<title id=\"comparison-title\">Score files compared: \(files) file(s), \(comparison.rows.count) model × metric rows</title>"
        let zero = labelWidth + (width - labelWidth - 10) / 2, half = (width - labelWidth - 10) / 2
        out += "<g class=\"axis\">"
        for (index, row) in comparison.rows.enumerated() {
            let y = gap + Double(index) * rowHeight
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + Double(files) * bar / 2))\" text-anchor=\"end\" dy=\"0.32em\">\(e(row.model)) · \(e(row.metric))</text>"
        }
        out += "<line class=\"frame\" x1=\"\(f(zero))\" x2=\"\(f(zero))\" y1=\"0\" y2=\"\(f(height))\"/></g>"
        for file in 0..<files {
            out += "<g class=\"series s\(file % Palette.count)\" data-name=\"\(e(comparison.files[file]))\">"
            for (index, row) in comparison.rows.enumerated() {
                guard let value = row.values[file] else { continue }
                let scale = row.values.compactMap { $0.map(abs) }.max() ?? 0
                let length = scale == 0 ? 0 : abs(value) / scale * half
                let x = value < 0 ? zero - length : zero
                let y = gap + Double(index) * rowHeight + Double(file) * bar
                let detail = "\(row.model) · \(row.metric) · \(comparison.files[file]): \(ReportBuilder.number(value))"
                out += "<rect class=\"pt\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(length, 0.5)))\" height=\"\(f(bar - 1))\" data-detail=\"\(e(detail))\"/>"
            }
            out += "</g>"
        }
        out += "</svg>" + Palette.legend(comparison.files)
        out += "<table class=\"compare\"><thead><tr><th>model</th><th>metric</th>"
        for name in comparison.files { out += "<th>\(e(name))</th>" }
        out += files > 1 ? "<th>delta</th></tr></thead><tbody>" : "</tr></thead><tbody>"
        for row in comparison.rows {
            out += "<tr><td>\(e(row.model))</td><td>\(e(row.metric))</td>"
            for value in row.values { out += "<td class=\"num\">\(value.map { String(format: "%.3f", $0) } ?? "—")</td>" }
            if files > 1 {
                let delta = row.delta.map { ($0 >= 0 ? "+" : "") + String(format: "%.3f", $0) } ?? "—"
                let sign = row.delta.map { $0 > 0 ? " up" : $0 < 0 ? " down" : "" } ?? ""
                out += "<td class=\"num delta\(sign)\">\(delta)</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></figure>"
    }
}
