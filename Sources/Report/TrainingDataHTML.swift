/// A ``TrainingDataSection`` as HTML: a bar per pipeline stage (inline SVG, hover detail, table fallback), the
/// coverage table with its gaps marked, and the workers.
enum TrainingDataHTML {
    static func render(_ section: TrainingDataSection) -> String {
        let e = HTMLEscaping.escape
        let f = ChartGeometry.format
        let bar = 16.0, gap = 6.0, labelWidth = 90.0, width = ChartGeometry.width
        let height = Double(section.stages.count) * (bar + gap) + gap
        let largest = Double(section.stages.map(\.count).max() ?? 0)
        var out = "<p class=\"note\">Workspace <code>\(e(section.location))</code>.</p>"
        out += "<figure class=\"chart\" id=\"stage-bars\" data-chart=\"stages\" data-series=\"1\" data-points=\"\(section.stages.count)\">"
        out += "<figcaption>Rows per pipeline stage</figcaption>"
        out += "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-labelledby=\"stages-title\">"
        out += "<title id=\"stages-title\">Training data: rows per stage, \(section.stages.count) stages</title><g class=\"axis\">"
        for (index, stage) in section.stages.enumerated() {
            let y = gap + Double(index) * (bar + gap)
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + bar / 2))\" text-anchor=\"end\" dy=\"0.32em\">\(e(stage.name))</text>"
        }
        out += "</g><g class=\"series s0\" data-name=\"rows\">"
        for (index, stage) in section.stages.enumerated() {
            let y = gap + Double(index) * (bar + gap)
            let length = largest == 0 ? 0 : Double(stage.count) / largest * (width - labelWidth - 60)
            out += "<rect class=\"pt\" x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"\(f(max(length, 0.5)))\" height=\"\(f(bar))\" data-detail=\"\(e(stage.name)): \(stage.count)\"><title>\(e(stage.name)): \(stage.count)</title></rect>"
            out += "<text class=\"value\" x=\"\(f(labelWidth + max(length, 0.5) + 4))\" y=\"\(f(y + bar / 2))\" dy=\"0.32em\">\(stage.count)</text>"
        }
        out += "</g></svg>"
        out += "<details class=\"fallback\"><summary>Table</summary><table class=\"stages\"><thead><tr><th>stage</th><th>rows</th></tr></thead><tbody>"
        for stage in section.stages { out += "<tr><td>\(e(stage.name))</td><td>\(stage.count)</td></tr>" }
        out += "</tbody></table></details></figure>"
        if !section.coverage.isEmpty {
            let gaps = section.coverage.filter(\.gap).count
            out += "<h3>Coverage</h3><p class=\"note\">\(gaps) region × domain cell(s) with seeds but no golden answers (marked).</p>"
            out += "<table class=\"coverage\"><thead><tr><th>region</th><th>domain</th><th>seeds</th><th>golden</th></tr></thead><tbody>"
            for cell in section.coverage {
                out += "<tr\(cell.gap ? " class=\"gap\"" : "")><td>\(e(cell.region.isEmpty ? "—" : cell.region))</td><td>\(e(cell.domain.isEmpty ? "—" : cell.domain))</td><td>\(cell.seeds)</td><td>\(cell.golden)\(cell.gap ? " (gap)" : "")</td></tr>"
            }
            out += "</tbody></table>"
        }
        if !section.workers.isEmpty {
            out += "<h3>Workers</h3><table class=\"workers\"><thead><tr><th>worker</th><th>host</th><th>model</th><th>answered</th><th>last heartbeat</th></tr></thead><tbody>"
            for worker in section.workers {
                out += "<tr><td>\(e(worker.id))</td><td>\(e(worker.host))</td><td>\(e(worker.model))</td><td>\(worker.answered)</td><td>\(e(worker.lastHeartbeat))\(worker.stopped ? " (stopped)" : "")</td></tr>"
            }
            out += "</tbody></table>"
        }
        return out
    }
}
