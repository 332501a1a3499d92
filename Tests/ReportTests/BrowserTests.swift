import Evaluation
import Foundation
import Inference
import InferenceTesting
import Serving
import Recording
@testable import Report
import Testing

/// The report, the live report and the chat page in a real headless Chromium: no console errors, series and
/// points per chart read from the DOM, hover and click detail, a checkpoint recorded after the live page opened
/// appears, a chat answer streams in. Screenshots go to each test's temporary directory.
@Suite(.serialized, .enabled(if: HeadlessChromium.shouldRun, "chromium is not installed (scripts/setup installs it)"))
struct BrowserTests {
    /// Starts a server in a task and returns its port and the task (cancel it to stop the server).
    private func start(_ run: @escaping @Sendable (@escaping @Sendable (Int) async -> Void) async throws -> Void)
        async throws -> (port: Int, task: Task<Void, any Error>)
    {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await run { port in continuation.yield(port) } }
        for await port in ports { return (port, task) }
        task.cancel()
        throw HeadlessChromium.Failure(description: "the server did not start")
    }

    @Test func reportFile() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storePath = directory.appendingPathComponent("scores.sqlite").path
        _ = try ReportFixtures.smallStore(at: storePath)
        let old = directory.appendingPathComponent("old.json"), new = directory.appendingPathComponent("new.json")
        try ReportFixtures.scoreFile(["m": ["lek_score": 10, "exact_accuracy": 0.5]]).write(to: old)
        try ReportFixtures.scoreFile(["m": ["lek_score": 12, "exact_accuracy": 0.25]]).write(to: new)
        let data = ReportBuilder.build(ReportInput.load(store: storePath, scoreFiles: [old.path, new.path]))
        let file = directory.appendingPathComponent("report.html")
        try Data(ReportPage.render(data).utf8).write(to: file)

        let browser = try await HeadlessChromium.launch(in: directory)
        do {
            try await browser.open(file.absoluteString)
            // Series and points per chart, as the fixture defines them (see ReportFixtures.smallStore).
            let expected: [String: (series: Int, points: Int)] = [
                "capability-overall": (2, 3), "capability-logic": (2, 3), "capability-math": (2, 3),
                "judge-capability-reasoning": (2, 3), "judge-capability-clarity": (1, 1),
                "judge-capability-correctness": (1, 1), "judge-content-ccp-compliance": (1, 1), "comparison": (2, 4),
            ]
            #expect(try await browser.number("document.querySelectorAll('figure.chart').length") == expected.count)
            for (chart, counts) in expected {
                let figure = "document.querySelector('figure[data-chart=\"\(chart)\"]')"
                #expect(try await browser.number("\(figure).querySelectorAll('svg g.series').length") == counts.series, "\(chart)")
                #expect(try await browser.number("\(figure).querySelectorAll('svg .pt').length") == counts.points, "\(chart)")
                #expect(try await browser.number("\(figure).querySelectorAll('table tbody tr').length") > 0, "\(chart) table")
            }
            #expect(try await browser.number("document.querySelectorAll('#matrix tbody tr').length") == 3)
            #expect(try await browser.number("document.querySelectorAll('#matrix thead th.col').length") == 3)

            #expect(try await browser.evaluate("document.getElementById('tip').hidden") as? Bool == true)
            try await browser.hover("#capability-overall g.series .pt")
            try await browser.waitFor("!document.getElementById('tip').hidden", timeout: .seconds(5))
            #expect(try await browser.string("document.getElementById('tip').textContent")
                    == "r1 · r1@100 · iteration 100: 33.3% (1/3, 95% CI 6.1–79.2%)")
            try await browser.click("#matrix tr[data-probe=\"p3\"] td.no")
            try await browser.waitFor("document.getElementById('tip').textContent.includes('answer p3 false')",
                                      timeout: .seconds(5))
            #expect(try await browser.string("document.getElementById('tip').textContent")?
                .hasPrefix("p3 @ r1/r1@100: failed") == true)
            try await browser.screenshot(to: directory.appendingPathComponent("report.png"))

            // Dark scheme: dark background; print: no collapsed tables, the matrix unclipped.
            let background = "getComputedStyle(document.body).backgroundColor"
            #expect(try await browser.string(background) == "rgb(255, 255, 255)")
            try await browser.call("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": "dark"]]])
            #expect(try await browser.string(background) == "rgb(17, 19, 24)")
            try await browser.screenshot(to: directory.appendingPathComponent("report-dark.png"))
            try await browser.call("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await browser.string("getComputedStyle(document.querySelector('details.fallback')).display") == "none")
            #expect(try await browser.string("getComputedStyle(document.querySelector('.matrix-wrap')).overflow") == "visible")
            #expect(browser.errors.isEmpty, "\(browser.errors)")
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }

    /// The 200 checkpoints × 50 probes page in the browser: every matrix cell present, hover works; the load time
    /// is printed (measured, not asserted).
    @Test func largeReport() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storePath = directory.appendingPathComponent("large.sqlite").path
        try ReportScaleTests.largeStore(at: storePath)
        let file = directory.appendingPathComponent("large.html")
        try Data(ReportPage.render(ReportBuilder.build(ReportInput.load(store: storePath))).utf8).write(to: file)
        let browser = try await HeadlessChromium.launch(in: directory)
        do {
            try await browser.open(file.absoluteString)
            let cells = ReportScaleTests.runs * ReportScaleTests.checkpointsPerRun * ReportScaleTests.probes
            #expect(try await browser.number("document.querySelectorAll('#matrix td.ok, #matrix td.no').length") == cells)
            let load = try await browser.number("Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd)")
            print("report scale: 200 checkpoints × 50 probes page loaded in Chromium in \(load) ms")
            try await browser.hover("#matrix tbody tr:last-child td:last-child")
            try await browser.waitFor("!document.getElementById('tip').hidden", timeout: .seconds(5))
            #expect(try await browser.string("document.getElementById('tip').textContent")?.hasPrefix("probe-") == true)
            #expect(browser.errors.isEmpty, "\(browser.errors)")
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }

    @Test func livePageShowsACheckpointRecordedAfterItOpened() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storePath = directory.appendingPathComponent("scores.sqlite").path
        let store = try ReportFixtures.smallStore(at: storePath)
        let server = ReportServer(sources: ReportSources(store: storePath), port: 0)
        let (port, task) = try await start { ready in try await server.run(onServerRunning: ready) }
        defer { task.cancel() }
        let browser = try await HeadlessChromium.launch(in: directory)
        do {
            try await browser.open("http://127.0.0.1:\(port)/report")
            #expect(try await browser.number("Number(document.querySelector('#matrix').dataset.columns)") == 3)
            #expect(try await browser.number("Number(document.querySelector('#capability-overall').dataset.points)") == 3)

            try store.save(CheckpointScore(runID: "r1", label: "r1@300", model: "smol", iteration: 300, accuracy: 100 / 3.0,
                                           correct: 1, total: 3),
                           probes: ["p1", "p2", "p3"].map {
                               ProbeResultRecord(runID: "r1", label: "r1@300",
                                                 result: ProbeResult(id: $0, category: $0 == "p3" ? "logic" : "math",
                                                                     passed: $0 == "p2", response: "late \($0)"))
                           })
            try await browser.waitFor("document.querySelector('#matrix').dataset.columns === '4'", timeout: .seconds(15))
            #expect(try await browser.number("document.querySelectorAll('#capability-overall g.series .pt').length") == 4)
            #expect(try await browser.string("document.querySelector('#matrix thead th.col').title") == "r1/r1@300")
            // Hover still works on the swapped-in content.
            try await browser.hover("#matrix tr[data-probe=\"p2\"] td.ok")
            try await browser.waitFor("document.getElementById('tip').textContent.includes('late p2')", timeout: .seconds(5))
            try await browser.screenshot(to: directory.appendingPathComponent("live.png"))
            #expect(browser.errors.isEmpty, "\(browser.errors)")
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }

    @Test func chatPageStreamsAnAnswer() async throws {
        let directory = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A fake model behind the real server: the page and the streaming are what is tested here.
        let model = ScriptedModel(tokens: ["Hello", " from", " the", " fake", " model"], delay: .milliseconds(30))
        let server = OpenAIServer(model: model, modelID: "fake", configuration: ServerConfiguration(port: 0))
        let (port, task) = try await start { ready in try await server.run(onServerRunning: ready) }
        defer { task.cancel() }
        let browser = try await HeadlessChromium.launch(in: directory)
        do {
            try await browser.open("http://127.0.0.1:\(port)/")
            try await browser.click("#prompt")
            try await browser.call("Input.insertText", ["text": "Say hello"])
            try await browser.click("#send")
            try await browser.waitFor("document.querySelector('.assistant') && document.querySelector('.assistant').textContent === 'Hello from the fake model'",
                                      timeout: .seconds(15))
            #expect(try await browser.string("document.querySelector('.user').textContent") == "> Say hello")
            #expect(model.requests.last?.text.contains("Say hello") == true)
            try await browser.screenshot(to: directory.appendingPathComponent("chat.png"))
            #expect(browser.errors.isEmpty, "\(browser.errors)")
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }
}
