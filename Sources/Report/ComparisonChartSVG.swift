import Foundation

/// A ``ScoreFileComparison`` as a figure: a grouped horizontal bar chart (one `g.series` per file, one bar per
/// model × metric, each row scaled to its own largest magnitude because metrics have different scales) and the
/// side-by-side table with deltas, as `ml compare` prints it. Where the first and last files pair item by item, the
/// last file's bar carries a `line.err` whisker (the first file's value plus the paired difference's 95% interval),
/// a Holm-significant row a `†`, the table the interval, p and MDE, and a note says how to read them.
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
            let mark = row.paired?.holmSignificant == true ? "<tspan class=\"sig\"> †</tspan>" : ""
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + Double(files) * bar / 2))\" text-anchor=\"end\" dy=\"0.32em\">\(e(row.model)) · \(e(row.metric))\(mark)</text>"
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
                // The whisker: where the last file's value lies at 95%, given the first's and the paired difference.
                if file == files - 1, files > 1, let base = row.values[0], let low = row.paired?.low, let high = row.paired?.high,
                   scale > 0 {
                    func position(_ v: Double) -> Double { min(width - 10, max(labelWidth, zero + v / scale * half)) }
                    let middle = f(y + (bar - 1) / 2)
                    out += "<line class=\"err\" x1=\"\(f(position(base + low)))\" x2=\"\(f(position(base + high)))\" y1=\"\(middle)\" y2=\"\(middle)\"/>"
                }
            }
            out += "</g>"
        }
        out += "</svg>" + Palette.legend(comparison.files)
        out += "<table class=\"compare\"><thead><tr><th>model</th><th>metric</th>"
        for name in comparison.files { out += "<th>\(e(name))</th>" }
        let paired = comparison.rows.compactMap(\.paired)
        out += files > 1 ? "<th>delta</th>" : ""
        out += paired.isEmpty ? "</tr></thead><tbody>" : "<th>pairs</th><th>95% CI</th><th>p</th><th>MDE</th></tr></thead><tbody>"
        for row in comparison.rows {
            out += "<tr><td>\(e(row.model))</td><td>\(e(row.metric))</td>"
            for value in row.values { out += "<td class=\"num\">\(value.map { String(format: "%.3f", $0) } ?? "—")</td>" }
            if files > 1 {
                let delta = row.delta.map { ($0 >= 0 ? "+" : "") + String(format: "%.3f", $0) } ?? "—"
                let sign = row.delta.map { $0 > 0 ? " up" : $0 < 0 ? " down" : "" } ?? ""
                out += "<td class=\"num delta\(sign)\">\(delta)</td>"
            }
            if !paired.isEmpty { out += pairedCells(row.paired) }
            out += "</tr>"
        }
        out += "</tbody></table>"
        if !paired.isEmpty {
            out += "<p class=\"note\">How sure is this? Items of the first and last file paired on model and id: 95% "
                + "interval of the mean difference (paired t; exact McNemar p for exact_accuracy), † significant at 5% after "
                + "Holm–Bonferroni over \(paired.filter { $0.pValue != nil }.count) rows. MDE: the smallest true difference "
                + "these pairs detect with 80% power at 5%, at the observed spread; a smaller difference going unnoticed "
                + "is no evidence that nothing changed.</p>"
        }
        return out + "</figure>"
    }

    /// The table's paired cells: pairs, the difference's interval, p (with `†` when Holm-significant) and MDE.
    private static func pairedCells(_ paired: ScoreFileComparison.Paired?) -> String {
        guard let paired else { return "<td></td><td></td><td></td><td></td>" }
        func number(_ value: Double?) -> String { value.map { String(format: "%+.3f", $0) } ?? "—" }
        let interval = paired.low != nil ? "[\(number(paired.low)), \(number(paired.high))]" : "—"
        let p = paired.pValue.map { $0 < 0.0001 ? "<0.0001" : String(format: "%.4f", $0) } ?? "—"
        let mde = paired.minimumDetectableEffect.map { String(format: "%.3f", $0) } ?? "—"
        return "<td class=\"num\">\(paired.n)</td><td class=\"num ci\">\(interval)</td>"
            + "<td class=\"num\">\(p)\(paired.holmSignificant ? " †" : "")</td><td class=\"num\">\(mde)</td>"
    }
}
