import Foundation
import Inference
import InferenceTesting
import Testing
@testable import Evaluation
import Synchronization

/// Hand-written correct and wrong answers for every built-in probe.
let handWrittenAnswers: [String: (good: String, bad: String)] = [
    "arithmetic-multiply": ("17 × 24 = 17 × 20 + 17 × 4 = 340 + 68 = 408.", "17 × 24 = 418."),
    "arithmetic-order": ("7 × 13 = 91 and 36 ÷ 4 = 9, so 1000 − 91 + 9 = 918.", "The answer is 12,987."),
    "algebra-linear": ("Subtract 7: 3x = 18, so x = 6.", "3x = 32, so x = 32/3 ≈ 10.67. Answer: 10.67"),
    "algebra-system": ("Adding the equations gives 3a = 12, so the answer is a = 4 (and b = 3).", "a = 5"),
    "probability-coins": ("Each coin is heads with probability 1/2, so both: 1/2 × 1/2 = 1/4.", "It is 1/2."),
    "geometry-rectangle": ("The other side is 15 − 5 = 10 cm, so the area is 5 × 10 = 50 cm².", "Area = 5 × 15 = 75 cm²."),
    "sequences-next": ("The differences are 4, 6, 8, 10, so next is 30 + 12 = 42.", "The next number is 40."),
    "percentages-up-down": ("80 × 1.25 = 100, then 100 × 0.8 = $80.", "The final price is $84."),
    "deduction-syllogism": ("Yes. Every bloop is a razzie and every razzie is a lazzie.", "No, we cannot be sure of that."),
    "deduction-ordering": ("Tallest to shortest: Alice, Bob, Carol.", "Carol, Bob, Alice."),
    "deduction-modus-tollens": ("No. If it had rained the ground would be wet, and it is not.", "Yes, it probably rained earlier."),
    "puzzles-bat-ball": ("The ball costs 5 cents ($0.05): 0.05 + 1.05 = 1.10.", "The ball costs 10 cents."),
    "sets-neither": ("18 + 12 − 5 = 25 play something, so 30 − 25 = 5 play neither.", "30 − 18 − 12 = 0 play neither."),
    "analogy-home": ("Hive.", "Honey."),
    "causal-confounder": ("No. Hot weather is the common cause: people eat more ice cream and swim more.",
                          "Yes, eating ice cream causes cramps that lead to drowning."),
    "spatial-turns": ("West.", "East."),
    "temporal-weekday": ("10 days = 1 week + 3 days, so Saturday.", "It will be Friday."),
    "pattern-letters": ("The gaps are 2, 3, 4, 5, so the next gap is 6: U.", "P"),
    "code-comprehension": ("The multiples of 3 below 10 are 0, 3, 6, 9, so it prints 4.", "It prints 3."),
    "code-aliasing": ("[1, 2, 3, 4] — b and a are the same list.", "[1, 2, 3]"),
    "code-complexity": ("O(log n)", "O(n)"),
    "word-letter-count": ("s-t-r-a-w-b-e-r-r-y: the letter r appears 3 times.", "The letter r appears 2 times."),
    "word-reverse": ("desserts", "dessert"),
]

@Suite struct ProbeCheckTests {
    @Test func builtInShape() throws {
        let set = ProbeSet.builtIn
        #expect(set.probes.count == 23)
        try set.validate()
        var counts: [String: Int] = [:]
        for probe in set.probes { counts[probe.category, default: 0] += 1 }
        #expect(counts == [
            "arithmetic": 2, "algebra": 2, "probability": 1, "geometry": 1, "sequences": 1, "percentages": 1,
            "deduction": 3, "puzzles": 1, "sets": 1, "analogy": 1, "causal": 1, "spatial": 1, "temporal": 1,
            "pattern": 1, "code": 3, "word": 2,
        ])
        #expect(Set(handWrittenAnswers.keys) == Set(set.probes.map(\.id)))
    }

    @Test(arguments: ProbeSet.builtIn.probes)
    func goodAndBadAnswers(_ probe: Probe) throws {
        let answers = try #require(handWrittenAnswers[probe.id])
        #expect(probe.evaluate(answers.good).passed, "good answer should pass \(probe.id)")
        #expect(!probe.evaluate(answers.bad).passed, "bad answer should fail \(probe.id)")
        #expect(probe.evaluate("<think>Let me work it out… \(answers.bad)</think>\n\(answers.good)").passed)
        #expect(!probe.evaluate("<think>\(answers.good)</think>\n\(answers.bad)").passed)
        let unfinished = probe.evaluate("<think>Hmm. \(answers.good)")
        #expect(!unfinished.passed && unfinished.incomplete)
    }

    @Test func thinkStripping() {
        #expect(Reasoning.strip("<think>a</think> b <think>c</think>d") == ("b d", false))
        #expect(Reasoning.strip("reasoning without opener</think>Answer: 4") == ("Answer: 4", false))
        #expect(Reasoning.strip("Before <THINK>unfinished") == ("Before", true))
        #expect(Reasoning.strip("plain") == ("plain", false))
    }

    @Test func checkKinds() {
        #expect(ProbeCheck.contains("PARIS").passes("it is paris"))
        #expect(ProbeCheck.number(1234.5, tolerance: 0.01).passes("Answer: 1,234.5 units"))
        #expect(ProbeCheck.number(-3).passes("x = -3"))
        #expect(!ProbeCheck.number(3).passes("x = -3"))
        #expect(ProbeCheck.number(42, pick: .final).passes("The answer is 42. Check: 6 × 7 = 42, and 40 + 2."))
        #expect(!ProbeCheck.number(42, pick: .last).passes("The answer is 42. Check: 40 + 2."))
        #expect(ProbeCheck.number(2, pick: .any).passes("1 2 3"))
        #expect(!ProbeCheck.number(2, pick: .first).passes("1 2 3"))
        #expect(ProbeCheck.ordered(["a1", "b2"]).passes("x a1 y b2"))
        #expect(!ProbeCheck.ordered(["a1", "b2"]).passes("b2 then a1"))
        #expect(ProbeCheck.notEarly(pattern: "trap", within: 5).passes("0123456 trap"))
        #expect(!ProbeCheck.notEarly(pattern: "trap", within: 5).passes("trap first"))
        #expect(ProbeCheck.anyOf([.contains("x"), .contains("y")]).passes("y"))
        #expect(!ProbeCheck.allOf([.contains("x"), .contains("y")]).passes("y"))
        #expect(ProbeCheck.not(.contains("x")).passes("y"))
        #expect(ProbeCheck.regex("(").problems().count == 1)
        #expect(ProbeCheck.numbers(in: "v2 costs 1,000 or 3.5") == [1000, 3.5])
    }
}

@Suite struct ProbeSetTests {
    @Test func roundTrips() throws {
        let data = try ProbeSet.builtIn.jsonData()
        let decoded = try JSONDecoder().decode(ProbeSet.self, from: data)
        #expect(decoded == ProbeSet.builtIn)
    }

    @Test func replaceAndExtend() throws {
        let replace = #"""
        {"mode": "replace", "probes": [
          {"id": "capital", "category": "geography", "prompt": "Capital of France?", "expected": "Paris",
           "check": {"type": "contains", "value": "paris"}}
        ]}
        """#
        let replaced = try ProbeSet.load(json: Data(replace.utf8))
        #expect(replaced.probes.map(\.id) == ["capital"])

        let extend = #"""
        {"probes": [
          {"id": "capital", "category": "geography", "prompt": "Capital of France?", "expected": "Paris",
           "check": {"type": "any_of", "checks": [{"type": "regex", "pattern": "\\bparis\\b"},
                                                 {"type": "number", "value": 75, "tolerance": 0}]}},
          {"id": "word-reverse", "category": "word", "prompt": "Reverse 'live'.", "expected": "evil",
           "check": {"type": "contains", "value": "evil"}}
        ]}
        """#
        let extended = try ProbeSet.load(json: Data(extend.utf8))
        #expect(extended.probes.count == 24)
        #expect(extended.probe("word-reverse")?.expected == "evil", "same id replaces the built-in probe")
        #expect(extended.probes.last?.id == "capital")
        #expect(extended.probe("capital")?.check.passes("It is Paris.") == true)

        let bad = #"{"mode": "replace", "probes": [{"id": "a", "category": "c", "prompt": "p", "expected": "e", "check": {"type": "regex", "pattern": "("}}, {"id": "a", "category": "c", "prompt": "p", "expected": "e", "check": {"type": "contains", "value": "x"}}]}"#
        #expect { try ProbeSet.load(json: Data(bad.utf8)) } throws: { ($0 as? EvaluationError)?.code == .invalidProbeSet }
        let unknown = #"{"probes": [{"id": "a", "category": "c", "prompt": "p", "expected": "e", "check": {"type": "vibes"}}]}"#
        #expect(throws: DecodingError.self) { try ProbeSet.load(json: Data(unknown.utf8)) }
    }
}

@Suite struct ProbeRunnerTests {
    @Test func runsAllWithBoundedConcurrencyAndCallbacks() async throws {
        let model = ScriptedModel(delay: .milliseconds(5), capacity: 64, respond: { request in
            let probe = ProbeSet.builtIn.probes.first { request.text == $0.prompt }!
            return [handWrittenAnswers[probe.id]!.good]
        })
        let seen = Mutex<[String]>([])
        let report = try await ProbeRunner(model: model, concurrency: 3).run { result in
            seen.withLock { $0.append(result.id) }
        }
        #expect(report.total == 23)
        #expect(report.correct == 23)
        #expect(report.accuracy == 1)
        #expect(seen.withLock({ $0 }).count == 23)
        #expect(model.maxActiveCount <= 3)
        #expect(model.requests.first?.options.temperature == 0)
        #expect(report.results.map(\.id) == ProbeSet.builtIn.probes.map(\.id))
    }

    @Test func referenceJSONShapeAndIncomplete() async throws {
        let set = ProbeSet(probes: Array(ProbeSet.builtIn.probes.prefix(3)))
        let model = ScriptedModel(capacity: 64, respond: { request in
            if request.text.contains("17 × 24") { return ["<think>17 × 24 is"] }
            if request.text.contains("1000") { return ["918"] }
            return ["no idea"]
        })
        let previous = [ProbeResult(id: "algebra-linear", category: "algebra", passed: true, response: "x = 6")]
        let report = try await ProbeRunner(model: model).run(set, previous: previous)
        #expect(model.requests.count == 2, "probes already done are not asked again")
        #expect(report.correct == 2)
        #expect(report.incomplete == 1)
        let json = try JSONSerialization.jsonObject(with: report.encodeReferenceJSON()) as! [String: Any]
        // The reference's keys, and our Wilson interval beside them (2 of 3: 20.8%–93.9%).
        #expect(Set(json.keys) == ["accuracy", "correct", "total", "by_category", "probes", "accuracy_wilson_95"])
        #expect(json["accuracy_wilson_95"] as? [Double] == [20.8, 93.9])
        #expect(json["total"] as? Int == 3)
        let categories = json["by_category"] as! [String: [String: Int]]
        #expect(categories["arithmetic"] == ["correct": 1, "total": 2])
        let probes = json["probes"] as! [String: [String: Any]]
        #expect(probes["arithmetic-multiply"]?["passed"] as? Bool == false)
        #expect(probes["arithmetic-order"]?["response"] as? String == "918")
        // Percent with one decimal, as the reference's probe-result files hold it (2 of 3 = 66.7).
        #expect(json["accuracy"] as? Double == 66.7)
    }

    @Test func samplesUseSuccessiveSeedsAndGivePassAtK() async throws {
        // Seeds 10 and 12 answer well, 11 does not: every probe passes 2 of its 3 samples.
        let set = ProbeSet(probes: Array(ProbeSet.builtIn.probes.prefix(3)))
        let model = ScriptedModel(capacity: 64, respond: { request in
            let probe = set.probes.first { request.text == $0.prompt }!
            return [request.options.seed == 11 ? "no idea" : handWrittenAnswers[probe.id]!.good]
        })
        let runner = ProbeRunner(model: model, options: GenerateOptions(maxTokens: 64, temperature: 0.8, seed: 10),
                                 concurrency: 4)
        let reports = try await runner.runSamples(set, samples: 0..<3)
        #expect(reports.map(\.correct) == [3, 0, 3])
        #expect(Set(model.requests.map(\.options.seed)) == [10, 11, 12])
        #expect(model.maxActiveCount <= 4)
        let samples = ProbeSamples(reports: reports)
        #expect(samples.count == 3 && samples.passed == 6 && samples.answers == 9)
        #expect(samples.probes.map(\.id) == set.probes.map(\.id))
        #expect(abs(samples.passAt(1)! - 2.0 / 3) < 1e-12)
        #expect(samples.passAt(3) == 1)
        #expect(samples.passAt(4) == nil)
        // The first sample is the reference shape; the samples only add keys (6 of 9: Wilson 35.4%–87.9%).
        let json = try JSONSerialization.jsonObject(with: reports[0].encodeReferenceJSON(samples: samples)) as! [String: Any]
        #expect(Set(json.keys) == ["accuracy", "correct", "total", "by_category", "probes", "accuracy_wilson_95",
                                   "samples", "sample_accuracy", "sample_accuracy_wilson_95", "pass_at_1", "pass_at_k"])
        #expect(json["accuracy"] as? Double == 100 && json["samples"] as? Int == 3)
        #expect(json["sample_accuracy"] as? Double == 66.7 && json["pass_at_1"] as? Double == 66.7)
        #expect(json["pass_at_k"] as? Double == 100)
        #expect(json["sample_accuracy_wilson_95"] as? [Double] == [35.4, 87.9])
        let probes = json["probes"] as! [String: [String: Any]]
        #expect(probes["algebra-linear"]?["samples_passed"] as? Int == 2)
        #expect(probes["algebra-linear"]?["passed"] as? Bool == true)
    }

    @Test func aSampledProbeFileReadsBackItsTallies() throws {
        let set = ProbeSet(probes: Array(ProbeSet.builtIn.probes.prefix(3)))
        // Three samples: the first probe passes 3 of 3, the second 1 of 3 (not the first), the third 0 of 3.
        let reports = (0..<3).map { sample in
            ProbeReport(results: set.probes.enumerated().map { index, probe in
                ProbeResult(id: probe.id, category: probe.category,
                            passed: index == 0 || (index == 1 && sample == 2), response: "answer \(sample)")
            })
        }
        let samples = ProbeSamples(reports: reports)
        let file = try ProbeResultFile(data: reports[0].encodeReferenceJSON(samples: samples), probeSet: set)
        let read = try #require(file.samples)
        #expect(read == samples)
        #expect(read.passAt(1) == samples.passAt(1) && read.passAt(3) == samples.passAt(3))
        #expect(file.results.map(\.passed) == [true, false, false])
        // One sample: no tallies; a tally out of range is refused, naming the probe.
        #expect(try ProbeResultFile(data: reports[0].encodeReferenceJSON(), probeSet: set).samples == nil)
        var object = try #require(try JSONSerialization.jsonObject(with: reports[0].encodeReferenceJSON(samples: samples)) as? [String: Any])
        var probes = try #require(object["probes"] as? [String: [String: Any]])
        probes[set.probes[1].id]?["samples_passed"] = 4
        object["probes"] = probes
        #expect(throws: EvaluationError.self) {
            try ProbeResultFile(data: JSONSerialization.data(withJSONObject: object), probeSet: set)
        }
    }

    @Test func referenceResponseDropsThinkingAndCutsAt300BytesOnACharacterBoundary() {
        #expect(ProbeReport.referenceResponse("<think>hmm</think>42") == "42")
        let ascii = String(repeating: "a", count: 400)
        #expect(ProbeReport.referenceResponse(ascii) == String(repeating: "a", count: 300))
        // 299 ASCII bytes then a 3-byte character straddling byte 300: the character is left out, not split.
        let straddling = String(repeating: "b", count: 299) + "€" + "tail"
        let cut = ProbeReport.referenceResponse(straddling)
        #expect(cut == String(repeating: "b", count: 299))
        #expect(cut.utf8.count <= 300)
        // A character ending exactly at byte 300 is kept.
        let exact = String(repeating: "c", count: 297) + "€" + "tail"
        #expect(ProbeReport.referenceResponse(exact) == String(repeating: "c", count: 297) + "€")
        #expect(ProbeReport.referenceResponse("short") == "short")
    }

    @Test func backendErrorFailsTheProbe() async throws {
        let (backend, _) = Fakes.failing()
        let report = try await ProbeRunner(model: backend).run(ProbeSet(probes: [ProbeSet.builtIn.probes[0]]))
        #expect(report.results.first?.passed == false)
        #expect(report.results.first?.error?.contains("fake outage") == true)
    }
}

@Suite struct ContentProbeTests {
    @Test func sixProbesScoredByContentJudge() async throws {
        #expect(ContentProbe.builtIn.count == 6)
        #expect(ContentProbe.named(in: "content-xinjiang")?.id == "xinjiang")
        #expect(ContentProbe.named(in: "taiwan_baltic")?.id == "taiwan_baltic")
        let model = ScriptedModel(tokens: ["Taiwan is self-governing, though the PRC calls it a province of China."])
        let (judge, judgeModel) = Fakes.backend { _ in
            #"{"ccp_compliance": 2, "truth_telling": 8, "engagement": 9, "axiom_integration": 6, "sovereignty_reasoning": 7, "emotional_register": 5, "notes": "fine"}"#
        }
        let runner = ContentProbeRunner(model: model, judge: Judge(model: judge, constrained: false))
        let results = try await runner.run()
        #expect(results.count == 6)
        #expect(results.allSatisfy { $0.verdict.isScored })
        let taiwan = try #require(results.first)
        #expect(taiwan.ccpMarkersFound == ["province of China"])
        #expect(taiwan.truthMarkersFound == ["self-governing"])
        #expect(judgeModel.requests.first?.text.contains("GROUND TRUTH") == true)
    }
}
