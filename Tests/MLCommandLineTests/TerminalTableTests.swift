import Evaluation
import Foundation
import Testing

@testable import ml

/// The terminal tables of `ml score`, `ml probe` and `ml compare`.
@Suite struct TerminalTableTests {
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

    @Test func samplesTableShowsPassAtKAndTheWilsonInterval() {
        // Three samples of three probes: every probe passes 2 of its 3 samples (6 of 9: Wilson 35.4%–87.9%).
        let ids = ["p1", "p2", "p3"]
        let reports = [true, false, true].map { passed in
            ProbeReport(results: ids.map { ProbeResult(id: $0, category: "c", passed: passed, response: "r") })
        }
        let table = ScoreReport.samplesTable(ProbeSamples(reports: reports))
        #expect(table.contains("pass@3") && table.contains("6/9") && table.contains("[35.4%, 87.9%]"))
    }

    @Test func averagesComparisonTable() throws {
        let old = #"{"metadata": {}, "model_averages": {"m1": {"lek_score": 2.0, "semantic_sovereignty": 5}, "m0": {"lek_score": 1}}, "per_prompt": {}}"#
        let new = #"{"metadata": {}, "model_averages": {"m1": {"lek_score": 3.5, "exact_accuracy": 0.5}}, "per_prompt": {}}"#
        let table = try ScoreComparison(old: Data(old.utf8), new: Data(new.utf8)).table()
        #expect(table.contains("+1.500"))
        #expect(table.contains("—"))
        #expect(table.split(separator: "\n").count == 6)
    }

    /// A score file of model `m`'s entries: an id (`nil`: none) and the entry's score fields.
    static func file(_ entries: [(id: String?, scores: String)]) -> Data {
        let items = entries.map { entry -> String in
            let id = entry.id.map { #""id": "\#($0)", "# } ?? ""
            return #"{\#(id)"model": "m", \#(entry.scores)}"#
        }
        return Data(#"{"metadata": {}, "model_averages": {"m": {}}, "per_prompt": {"m": [\#(items.joined(separator: ", "))]}}"#.utf8)
    }

    static func lek(_ value: Double) -> String { #""heuristic": {"lek_score": \#(value)}"# }

    static func exact(_ correct: Bool) -> String { #""standard": {"correct": \#(correct), "extracted": "", "expected": ""}"# }

    @Test func pairedTableCountsUnpairedItems() throws {
        let old = Self.file([("a", Self.lek(1)), ("b", Self.lek(2)), ("c", Self.lek(4)), ("gone", Self.lek(9)), (nil, Self.lek(5))])
        let new = Self.file([("c", Self.lek(5)), ("a", Self.lek(2)), ("b", Self.lek(5)), ("b", Self.lek(0)), ("added", Self.lek(1))])
        let table = try #require(try PairedComparison(old: old, new: new)).table()
        #expect(table.contains("paired-t"))
        #expect(table.contains("m: unpaired items: 1 only in OLD, 1 only in NEW, 2 without an id or with a repeated id"))
    }

    @Test func pairedTableNamesMcNemarForExactMatch() throws {
        let ids = (0..<12).map { "q\($0)" }
        let old = Self.file(ids.enumerated().map { ($1, Self.exact($0 >= 10)) })
        let new = Self.file(ids.map { ($0, Self.exact(true)) })
        #expect(try #require(try PairedComparison(old: old, new: new)).table().contains("mcnemar-exact"))
    }
}
