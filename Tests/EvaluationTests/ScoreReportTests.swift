import Testing
@testable import Evaluation

@Suite struct ScoreReportTests {
    @Test func probeTableListsCategoriesInOrderThenOverall() {
        let report = ProbeReport(results: [
            ProbeResult(id: "a1", category: "arithmetic", passed: true, response: "4"),
            ProbeResult(id: "a2", category: "arithmetic", passed: false, response: "5"),
            ProbeResult(id: "c1", category: "code", passed: true, response: "x"),
        ])
        let lines = ScoreReport.probeTable(report, categoryOrder: ["code", "arithmetic"]).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("code"))
        #expect(lines[0].hasSuffix("95% CI (Wilson)"))
        #expect(lines[2].hasSuffix("100.0%  [20.7%, 100.0%]"), "1 of 1: Wilson 20.7%–100%")
        #expect(lines[3].hasPrefix("arithmetic"))
        #expect(lines[3].hasSuffix("50.0%    [9.5%, 90.5%]"))
        #expect(lines[4].hasPrefix("overall"))
        #expect(lines[4].contains("2") && lines[4].contains("3") && lines[4].hasSuffix("66.7%   [20.8%, 93.9%]"))
    }

    @Test func averagesTableIsSortedAndAligned() {
        let table = ScoreReport.averagesTable(["m2": ["lek": 1.5], "m1": ["b": 2, "a": 0.25]])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("m1") && lines[2].contains(" a ") && lines[2].hasSuffix("0.250"))
        #expect(lines[3].hasPrefix("m1") && lines[3].hasSuffix("2.000"))
        #expect(lines[4].hasPrefix("m2") && lines[4].hasSuffix("1.500"))
        #expect(Set(lines.map(\.count)).count == 1, "columns are padded to one width")
        #expect(ScoreReport.averagesTable([:]) == "no scores\n")
    }

    @Test func contentTableShowsUnscoredReasons() {
        let results = [
            ContentProbeResult(id: "taiwan", response: "r", verdict: .unscored(reason: "no JSON object in reply", raw: "x"),
                               ccpMarkersFound: [], truthMarkersFound: []),
        ]
        let table = ScoreReport.contentTable(results)
        #expect(table.contains("unscored: no JSON object in reply"))
        #expect(table.contains("ccp_compliance"))
    }

    @Test func probeAnswersBecomeCapabilityItems() {
        let set = ProbeSet.builtIn
        let first = set.probes[0]
        let report = ProbeReport(results: [ProbeResult(id: first.id, category: first.category, passed: true, response: "ans")])
        let items = report.responseItems(model: "m", set: set)
        #expect(items == [ResponseItem(id: first.id, domain: "capability", prompt: first.prompt, response: "ans", model: "m")])
    }
}
