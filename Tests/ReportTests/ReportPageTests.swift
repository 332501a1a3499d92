import Evaluation
import Foundation
import Recording
@testable import Report
import Testing

/// The HTML: self-contained, one figure per chart with its series and points, escaped, a table per chart.
struct ReportPageTests {
    private func page() throws -> (ReportData, String) {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("scores.sqlite").path
        let store = try ReportFixtures.smallStore(at: path)
        // A hostile run ID and answer must stay text.
        try store.save(CheckpointScore(runID: "<script>alert(1)</script>", label: "x\"y", model: "m", iteration: 150,
                                       accuracy: 50, correct: 1, total: 2),
                       probes: [ProbeResultRecord(runID: "<script>alert(1)</script>", label: "x\"y",
                                                  result: ProbeResult(id: "p1", category: "math", passed: true,
                                                                      response: "</script><b>bold</b>"))])
        let data = ReportBuilder.build(ReportInput.load(store: path))
        return (data, ReportPage.render(data))
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func selfContainedWithoutNetwork() throws {
        let (_, html) = try page()
        for external in ["src=\"http", "href=\"http", "src=\"//", "@import", "url("] {
            #expect(!html.contains(external), "page refers to an external resource: \(external)")
        }
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
    }

    @Test func oneFigurePerChartWithItsSeriesPointsAndTable() throws {
        let (data, html) = try page()
        let charts = [data.capability!.overall] + data.capability!.categories + data.judge!.charts
        #expect(count("<figure class=\"chart\"", in: html) == charts.count)
        for chart in charts {
            let points = chart.series.reduce(0) { $0 + $1.points.count }
            #expect(html.contains("data-chart=\"\(chart.id)\" data-series=\"\(chart.series.count)\" data-points=\"\(points)\""))
        }
        #expect(count("<details class=\"fallback\">", in: html) == charts.count)
        #expect(count("<svg ", in: html) == count("<title id=", in: html), "every SVG has a title")
        let circles = charts.reduce(0) { $0 + $1.series.reduce(0) { $0 + $1.points.count } }
        #expect(count("<circle class=\"pt\"", in: html) == circles)
    }

    @Test func hostileTextStaysText() throws {
        let (_, html) = try page()
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("</script><b>bold"))
        #expect(count("<script", in: html) == 2, "only the answers JSON and the page script")
    }

    @Test func emptySourcesSayNoData() {
        let html = ReportPage.render(ReportData())
        #expect(html.contains("id=\"empty\""))
        #expect(!html.contains("<figure"))
    }
}
