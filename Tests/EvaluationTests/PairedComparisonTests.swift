import Foundation
import JSONValues
import Statistics
import Testing

@testable import Evaluation

/// `ml compare` item by item: pairing on model and id, the tests per metric, unpaired counts and the fallback.
@Suite struct PairedComparisonTests {
    /// A score file whose `per_prompt` holds, per model, entries `(id, lek_score, correct)`.
    static func file(_ entries: [String: [(id: String?, lek: Double?, correct: Bool?)]]) -> Data {
        var perPrompt: [String: JSONValue] = [:]
        var averages: [String: JSONValue] = [:]
        for (model, list) in entries {
            averages[model] = .object([:])
            perPrompt[model] = .array(list.map { item in
                var entry: [String: JSONValue] = ["model": .string(model)]
                if let id = item.id { entry["id"] = .string(id) }
                if let lek = item.lek { entry["heuristic"] = .object(["lek_score": .number(lek)]) }
                if let correct = item.correct {
                    entry["standard"] = .object(["correct": .bool(correct), "extracted": .string(""), "expected": .string("")])
                }
                return .object(entry)
            })
        }
        let root: JSONValue = .object(["metadata": .object([:]), "model_averages": .object(averages), "per_prompt": .object(perPrompt)])
        return Data(root.serialized().utf8)
    }

    @Test func pairsOnIdAndCountsWhatCannotBePaired() throws {
        let old = Self.file(["m": [("a", 1, nil), ("b", 2, nil), ("c", 4, nil), ("gone", 9, nil), (nil, 5, nil)]])
        let new = Self.file(["m": [("c", 5, nil), ("a", 2, nil), ("b", 5, nil), ("b", 0, nil), ("added", 1, nil)]])
        let comparison = try #require(try PairedComparison(old: old, new: new))
        let row = try #require(comparison.rows.first { $0.metric == "lek_score" })
        // Pairs a 1→2, b 2→5 (the first b), c 4→5: differences 1, 3, 1.
        #expect(row.n == 3 && row.test == .pairedT)
        #expect(row.old == 7.0 / 3 && row.new == 4)
        let expected = PairedTTest(differences: [1, 3, 1])
        #expect(abs(row.delta! - 5.0 / 3) < 1e-12)
        #expect(row.standardError == expected.differences.standardError)
        #expect(row.pValue == expected.pValue && row.confidenceInterval == expected.confidenceInterval)
        // MDE at the observed spread: (t_0.975,2 + t_0.8,2) · sd / √3 with sd(1, 3, 1) = 2/√3, i.e. · 2/3 (SciPy: 3.57554).
        #expect(abs(row.minimumDetectableEffect! - (4.302652729749464 + 1.0606601717798212) * 2 / 3) < 1e-6)
        #expect(comparison.unpaired["m"] == PairedComparison.Unpaired(onlyOld: 1, onlyNew: 1, unusable: 2))
    }

    @Test func modelsArePairedSeparately() throws {
        let old = Self.file(["x": [("1", 0, nil)], "y": [("1", 10, nil)]])
        let new = Self.file(["x": [("1", 1, nil)], "y": [("1", 10, nil)]])
        let comparison = try #require(try PairedComparison(old: old, new: new))
        #expect(comparison.rows.map(\.model) == ["x", "y"])
        #expect(comparison.rows.map(\.delta) == [1, 0])
        // One pair: a mean difference, but no standard error, interval or p-value (nil, not NaN).
        #expect(comparison.rows.allSatisfy { $0.n == 1 && $0.standardError == nil && $0.pValue == nil && !$0.holmSignificant })
        #expect(!comparison.json().serialized().contains("nan"))
    }

    @Test func exactMatchUsesMcNemarAndWilson() throws {
        // 12 items: 10 wrong → right, 2 always right.
        let ids = (0..<12).map { "q\($0)" }
        let old = Self.file(["m": ids.enumerated().map { (Optional($1), nil, $0 >= 10) }])
        let new = Self.file(["m": ids.map { ($0, nil, true) }])
        let comparison = try #require(try PairedComparison(old: old, new: new))
        let row = try #require(comparison.rows.first)
        #expect(row.metric == "exact_accuracy" && row.test == .mcnemarExact && row.n == 12)
        #expect(row.pValue == McNemarTest(onlyOld: 0, onlyNew: 10).pValue)
        #expect(abs(row.pValue! - 2.0 / 1024) < 1e-15)
        #expect(row.oldInterval == WilsonInterval(successes: 2, trials: 12))
        #expect(row.newInterval == WilsonInterval(successes: 12, trials: 12))
        #expect(row.holmSignificant && row.intervalExcludesZero)
        guard case .object(let json) = comparison.json(), case .array(let rows)? = json["rows"], case .object(let first)? = rows.first
        else { Issue.record("no rows"); return }
        #expect(Set(first.keys).isSuperset(of: ["model", "metric", "n", "old", "new", "delta", "stderr", "ci_low", "ci_high",
                                                "p_value", "test", "holm_significant"]))
        #expect(first["test"] == .string("mcnemar-exact") && first["holm_significant"] == .bool(true))
    }

    /// A probe-result file over the first ten built-in probes: `passing` pass (each sample, with `samples`).
    static func probeFile(passing: Set<Int>, samples: Int = 1, alsoPassingLater: Set<Int> = []) throws -> Data {
        let probes = ProbeSet.builtIn.probes.prefix(10)
        let reports = (0..<samples).map { sample in
            ProbeReport(results: probes.enumerated().map { index, probe in
                ProbeResult(id: probe.id, category: probe.category,
                            passed: passing.contains(index) || (sample > 0 && alsoPassingLater.contains(index)), response: "")
            })
        }
        return try reports[0].encodeReferenceJSON(samples: samples > 1 ? ProbeSamples(reports: reports) : nil)
    }

    @Test func probeFilesPairOnProbeIDWithMcNemar() throws {
        // Discordant pairs: probe 2 passes only before, probes 3–8 only after (scipy: binomtest(1, 7).pvalue = 0.125).
        let old = try Self.probeFile(passing: [0, 1, 2])
        let new = try Self.probeFile(passing: [0, 1, 3, 4, 5, 6, 7, 8])
        let comparison = try #require(try PairedComparison(probeFiles: old, new: new))
        #expect(comparison.rows.count == 1 && comparison.unpaired.isEmpty)
        let row = try #require(comparison.rows.first)
        #expect(row.model == "probes" && row.metric == "probe_passed" && row.test == .mcnemarExact && row.n == 10)
        #expect(row.old == 0.3 && row.new == 0.8)
        #expect(abs(row.pValue! - 0.125) < 1e-12)
        #expect(row.oldInterval == WilsonInterval(successes: 3, trials: 10))
        #expect(!row.holmSignificant)
        // A score file on either side is not a pair of probe files.
        #expect(try PairedComparison(probeFiles: old, new: Self.file(["m": [("a", 1, nil)]])) == nil)
    }

    @Test func sampledProbeFilesAlsoComparePassRates() throws {
        // Four samples each: before, probes 0–4 always pass; after, also probes 5–9 from the second sample on.
        let old = try Self.probeFile(passing: [0, 1, 2, 3, 4], samples: 4)
        let new = try Self.probeFile(passing: [0, 1, 2, 3, 4], samples: 4, alsoPassingLater: [5, 6, 7, 8, 9])
        let comparison = try #require(try PairedComparison(probeFiles: old, new: new))
        #expect(comparison.rows.map(\.metric) == ["probe_pass_rate", "probe_passed"])
        let rate = comparison.rows[0]
        #expect(rate.test == .pairedT && rate.n == 10)
        #expect(rate.old == 0.5 && rate.new == 0.875 && abs(rate.delta! - 0.375) < 1e-12)
        // The first answers agree everywhere: McNemar has no discordant pair, p = 1.
        #expect(comparison.rows[1].pValue == 1)
    }

    @Test func holmAdjustsAcrossRows() throws {
        // Two metrics for one model: lek_score shifts by exactly +1 on every item (p = 0), exact_accuracy never
        // changes (p = 1). Then a noisy third model whose raw p is below 5% but not after Holm over three rows.
        let ids = (0..<6).map { "i\($0)" }
        let noisy: [Double] = [0.3, 0.5, -0.1, 0.4, 0.6, 0.1]
        let old = Self.file(["a": ids.map { ($0, 1, true) }, "b": ids.map { ($0, 0, nil) }])
        let new = Self.file(["a": ids.map { ($0, 2, true) }, "b": zip(ids, noisy).map { ($0, $1, nil) }])
        let comparison = try #require(try PairedComparison(old: old, new: new))
        let b = try #require(comparison.rows.first { $0.model == "b" })
        let raw = try #require(b.pValue)
        #expect(raw < 0.05 && raw * 2 > 0.05, "raw p \(raw) must be significant alone but not after Holm")
        #expect(b.intervalExcludesZero && !b.holmSignificant)
        let lek = try #require(comparison.rows.first { $0.model == "a" && $0.metric == "lek_score" })
        #expect(lek.pValue == 0 && lek.holmSignificant)
        let exact = try #require(comparison.rows.first { $0.model == "a" && $0.metric == "exact_accuracy" })
        #expect(exact.pValue == 1 && !exact.holmSignificant)
    }

    @Test func filesWithoutItemsHaveNoPairedTest() throws {
        let averagesOnly = #"{"metadata": {}, "model_averages": {"m": {"lek_score": 1}}, "per_prompt": {}}"#
        let withItems = Self.file(["m": [("a", 1, nil)]])
        #expect(try PairedComparison(old: Data(averagesOnly.utf8), new: withItems) == nil)
        #expect(try PairedComparison(old: withItems, new: Data(#"{"model_averages": {}}"#.utf8)) == nil)
        #expect(throws: ScoreComparison.notAScoreFile) { try PairedComparison(old: Data("{}".utf8), new: withItems) }
    }

    @Test func referenceEntriesPairWithOurNames() throws {
        let reference = Data(ReferenceScoreFileTests.referenceFile.utf8)
        let comparison = try #require(try PairedComparison(old: reference, new: reference))
        // Every metric of the reference entry, under its model_averages name; the same file: every delta 0, p 1.
        #expect(Set(comparison.rows.map(\.metric)) == Set(["compliance_markers", "formulaic_preamble", "first_person",
            "creative_form", "engagement_depth", "degeneration", "emotional_register", "empty_broken", "lek_score",
            "sovereignty", "ethical_depth", "creative_expression", "self_concept", "ccp_compliance", "truth_telling",
            "engagement", "axiom_integration", "sovereignty_reasoning", "content_emotional_register"]))
        #expect(comparison.rows.allSatisfy { $0.n == 1 && $0.delta == 0 })
        #expect(comparison.unpaired.isEmpty)
    }
}
