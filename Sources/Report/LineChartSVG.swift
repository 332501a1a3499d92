/// A ``LineChart`` as a `<figure>`: inline SVG (one `g.series` per series, one `.pt` per point carrying its hover
/// detail, a `line.err` error bar under each point with an interval), a legend, the chart's note and a table with every point (the accessible fallback).
enum LineChartSVG {
    static func render(_ chart: LineChart) -> String {
        let e = HTMLEscaping.escape
        let g = ChartGeometry(xMin: chart.xMin, xMax: chart.xMax, yMin: chart.yMin, yMax: chart.yMax)
        let f = ChartGeometry.format
        let pointCount = chart.series.reduce(0) { $0 + $1.points.count }
        let titleID = chart.id + "-title"
        var out = "<figure class=\"chart\" id=\"\(e(chart.id))\" data-chart=\"\(e(chart.id))\" data-series=\"\(chart.series.count)\" data-points=\"\(pointCount)\">"
        out += "<figcaption>\(e(chart.title))</figcaption>"
        out += "<svg viewBox=\"0 0 \(f(ChartGeometry.width)) \(f(ChartGeometry.height))\" role=\"img\" aria-labelledby=\"\(e(titleID))\">"
        out += "<title id=\"\(e(titleID))\">\(e(chart.title)): \(chart.series.count) series, \(pointCount) points, \(e(chart.yLabel)) by iteration</title>"
        out += "<g class=\"axis\">"
        let bottom = ChartGeometry.height - ChartGeometry.bottom
        for tick in ChartGeometry.ticks(chart.yMin, chart.yMax) {
            let y = f(g.y(tick))
            out += "<line class=\"grid\" x1=\"\(f(ChartGeometry.left))\" x2=\"\(f(ChartGeometry.width - ChartGeometry.right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text x=\"\(f(ChartGeometry.left - 6))\" y=\"\(y)\" text-anchor=\"end\" dy=\"0.32em\">\(ReportBuilder.number(tick))</text>"
        }
        for tick in ChartGeometry.ticks(chart.xMin, chart.xMax) {
            let x = f(g.x(tick))
            out += "<line class=\"tick\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(f(bottom))\" y2=\"\(f(bottom + 4))\"/>"
            out += "<text x=\"\(x)\" y=\"\(f(bottom + 16))\" text-anchor=\"middle\">\(ReportBuilder.number(tick))</text>"
        }
        out += "<line class=\"frame\" x1=\"\(f(ChartGeometry.left))\" x2=\"\(f(ChartGeometry.width - ChartGeometry.right))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom))\"/>"
        out += "<text class=\"label\" x=\"\(f(ChartGeometry.width - ChartGeometry.right))\" y=\"\(f(ChartGeometry.height - 4))\" text-anchor=\"end\">iteration</text>"
        out += "<text class=\"label\" x=\"4\" y=\"10\">\(e(chart.yLabel))</text>"
        out += "</g>"
        for (index, series) in chart.series.enumerated() {
            out += "<g class=\"series s\(index % Palette.count)\" data-name=\"\(e(series.name))\">"
            if series.points.count > 1 {
                let d = series.points.enumerated().map { i, p in (i == 0 ? "M" : "L") + f(g.x(p.x)) + " " + f(g.y(p.y)) }
                out += "<path d=\"\(d.joined())\"/>"
            }
            // Dense series get smaller markers, so the line stays readable.
            let radius = series.points.count > 60 ? "1.5" : "3"
            // Bars take no pointer events (ReportStyle): a later series' bar crossing an earlier point must not
            // hide that point's hover detail.
            for point in series.points {
                guard let low = point.low, let high = point.high else { continue }
                let x = f(g.x(point.x))
                out += "<line class=\"err\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(f(g.y(low)))\" y2=\"\(f(g.y(high)))\"/>"
            }
            for point in series.points {
                out += "<circle class=\"pt\" cx=\"\(f(g.x(point.x)))\" cy=\"\(f(g.y(point.y)))\" r=\"\(radius)\" data-detail=\"\(e(point.detail))\"/>"
            }
            out += "</g>"
        }
        out += "</svg>"
        out += Palette.legend(chart.series.map(\.name))
        if let note = chart.note { out += "<p class=\"note\">\(e(note))</p>" }
        out += "<details class=\"fallback\"><summary>Table: \(e(chart.title))</summary><table><thead><tr><th>series</th><th>iteration</th><th>\(e(chart.yLabel))</th><th>detail</th></tr></thead><tbody>"
        for series in chart.series {
            for point in series.points {
                out += "<tr><td>\(e(series.name))</td><td>\(ReportBuilder.number(point.x))</td><td>\(ReportBuilder.number(point.y))</td><td>\(e(point.detail))</td></tr>"
            }
        }
        out += "</tbody></table></details></figure>"
        return out
    }
}

/// Series colours: CSS classes `s0…s7`, defined for light and dark schemes in ``ReportStyle``.
enum Palette {
    static let count = 8

    static func legend(_ names: [String]) -> String {
        guard names.count > 1 else { return "" }
        var out = "<ul class=\"legend\">"
        for (index, name) in names.enumerated() {
            out += "<li class=\"s\(index % count)\"><span class=\"swatch\"></span>\(HTMLEscaping.escape(name))</li>"
        }
        return out + "</ul>"
    }
}
