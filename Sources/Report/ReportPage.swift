import Foundation

/// ``ReportData`` as one self-contained HTML page: inline SVG charts, table fallbacks, embedded CSS
/// (light/dark, print) and script (hover detail, live refresh). No external resources.
package enum ReportPage {
    package struct Options: Sendable {
        package var title: String
        /// Shown in the header (nil: left out, for reproducible output).
        package var generatedAt: Date?
        /// Poll `/report/version` and swap in the new page when the data changes.
        package var live: Bool
        /// The data version the page shows (the store's change stamp when live).
        package var version: String

        package init(title: String = "swift-ml report", generatedAt: Date? = nil, live: Bool = false, version: String = "") {
            self.title = title
            self.generatedAt = generatedAt
            self.live = live
            self.version = version
        }
    }

    /// The page's `generator` meta tag: how a directory listing tells our reports from other HTML.
    package static let generator = "swift-ml report"

    package static func render(_ data: ReportData, options: Options = Options()) -> String {
        let e = HTMLEscaping.escape
        var out = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<meta name=\"generator\" content=\"\(ReportPage.generator)\">"
        out += "<meta name=\"color-scheme\" content=\"light dark\"><link rel=\"icon\" href=\"data:,\">"
        out += "<title>\(e(options.title))</title><style>\(ReportStyle.css)</style></head>\n"
        out += "<body data-live=\"\(options.live ? 1 : 0)\" data-version=\"\(e(options.version))\">"
        out += "<header><h1>\(e(options.title))</h1><p class=\"meta\">"
        if let date = options.generatedAt { out += "Generated \(e(ISO8601DateFormatter().string(from: date))). " }
        if options.live { out += "<span id=\"live\" class=\"live\">Live: refreshes as checkpoints are recorded.</span>" }
        out += "</p></header>\n<main id=\"report\">" + body(data) + "</main>\n"
        out += "<div id=\"tip\" role=\"status\" aria-live=\"polite\" hidden></div>"
        out += "<script>\(ReportScript.js)</script></body></html>\n"
        return out
    }

    /// The contents of `<main>` (what a live page swaps in).
    static func body(_ data: ReportData) -> String {
        let e = HTMLEscaping.escape
        var out = ""
        var sections = 0
        if !data.problems.isEmpty {
            out += "<section id=\"problems\" class=\"problems\"><h2>Problems reading the sources</h2><ul>"
            for problem in data.problems { out += "<li>\(e(problem))</li>" }
            out += "</ul></section>"
        }
        if let capability = data.capability {
            sections += 1
            out += "<section id=\"capability\"><h2>Capability accuracy per iteration</h2>"
            out += LineChartSVG.render(capability.overall)
            if !capability.categories.isEmpty {
                out += "<h3>By category</h3><div class=\"multiples\">"
                for chart in capability.categories { out += LineChartSVG.render(chart) }
                out += "</div>"
            }
            out += "</section>"
        }
        if let loss = data.loss {
            sections += 1
            out += "<section id=\"loss\"><h2>Training loss</h2>" + LineChartSVG.render(loss) + "</section>"
        }
        if let judge = data.judge {
            sections += 1
            let total = judge.unscored.values.reduce(0, +)
            out += "<section id=\"judge\"><h2>Judge scores per iteration</h2>"
            out += "<p class=\"note\">\(total) unscored verdict(s) in all: counted under each chart, not plotted.</p>"
            out += "<div class=\"multiples\">"
            for chart in judge.charts { out += LineChartSVG.render(chart) }
            out += "</div></section>"
        }
        if let matrix = data.matrix {
            sections += 1
            out += "<section id=\"probes\"><h2>Probes × checkpoints</h2>" + ProbeMatrixHTML.render(matrix) + "</section>"
        }
        if let comparison = data.comparison {
            sections += 1
            out += "<section id=\"comparison\"><h2>Score files compared</h2>" + ComparisonChartSVG.render(comparison) + "</section>"
        }
        if let trainingData = data.trainingData {
            sections += 1
            out += "<section id=\"training-data\"><h2>Training data</h2>" + TrainingDataHTML.render(trainingData) + "</section>"
        }
        if let panel = data.reproducibility {
            sections += 1
            out += "<section id=\"reproducibility\"><h2>Reproducibility</h2><table class=\"repro\"><thead><tr><th>source</th><th>key</th><th>value</th></tr></thead><tbody>"
            for entry in panel.entries {
                out += "<tr><td>\(e(entry.source))</td><td>\(e(entry.key))</td><td><code>\(e(entry.value))</code></td></tr>"
            }
            out += "</tbody></table></section>"
        }
        if sections == 0 {
            out += "<section id=\"empty\"><h2>No data yet</h2><p>The sources hold no checkpoints, probe results or scores.</p></section>"
        }
        return out
    }
}
