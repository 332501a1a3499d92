import Testing
@testable import Evaluation

@Suite struct ProbeReportItemsTests {
    @Test func probeAnswersBecomeCapabilityItems() {
        let set = ProbeSet.builtIn
        let first = set.probes[0]
        let report = ProbeReport(results: [ProbeResult(id: first.id, category: first.category, passed: true, response: "ans")])
        let items = report.responseItems(model: "m", set: set)
        #expect(items == [ResponseItem(id: first.id, domain: "capability", prompt: first.prompt, response: "ans", model: "m")])
    }
}
