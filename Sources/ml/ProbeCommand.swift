import ArgumentParser
import Evaluation
import Foundation
import MLErrors
import SafeFiles
import Scoring
import Inference

struct ProbeCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run the capability probes (and optionally score the answers and run the content probes).",
        discussion: """
            Asks the model the 23 built-in capability probes (or a probe-set file's), checks each answer
            deterministically and prints a per-category table. --score also scores the answers with the heuristic
            scorer and the capability judge; --content runs the 6 content probes, judged by the content suite.
            Without judge flags the default local model judges (sharing the server when it is also the model under
            test). Exits 1 when a probe could not be asked or an answer could not be scored.
            """
    )

    @OptionGroup var selection: ModelSelection
    @Option(help: "A probe-set file (JSON) that replaces or extends the built-in set.") var probes: String?
    @Option(help: "Write the results as JSON in the reference's probe-result shape (accuracy in percent, answers cut to 300 bytes; --answers keeps them whole).")
    var output: String?
    @Option(help: "Write the answers as scoring input (JSON lines) for `ml score`.") var answers: String?
    @Flag(help: "Score the answers: heuristic sub-scores and the capability judge.") var score = false
    @Flag(help: "Also run the content probes, judged by the content suite.") var content = false
    @Option(help: "Probes and judge calls in flight at once: a local server's slots, each with the context an answer and its judging need.")
    var concurrency: Int = 8
    @Option(help: "Most tokens per answer.") var maxTokens: Int = 512
    @Option(help: "Sampling temperature for the answers.") var temperature: Double = 0
    @Option(help: "Random seed for the answers.") var seed: UInt64?
    @Option(help: "Ask every probe this many times (sample i with seed + i): pass rate, pass@1 and pass@K per probe, accuracy over every answer. --output, --answers and --score use the first sample.")
    var samples: Int = 1
    @OptionGroup(title: "Judge (with --score or --content)") var judge: JudgeSelection

    var fileInputs: [(name: String, path: String)] {
        Self.files([("--probes", probes), ("--model", selection.url.isEmpty ? selection.model : nil),
                    ("--judge-model-path", judge.judgeModelPath)])
    }

    var fileOutputs: [FileOutput] {
        Self.files([("--output", output), ("--answers", answers)]).map { .file(flag: $0.name, path: $0.path) }
    }

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
    }

    func run() async throws {
        try checkOutputs()
        if samples > 1, temperature == 0 {
            printError("warning: --samples \(samples) at --temperature 0: greedy answers repeat, so every sample is the same")
        }
        let set: ProbeSet
        do {
            set = try probes.map { try ProbeSet.load(path: $0) } ?? .builtIn
        } catch {
            printError("error: probe set \(probes ?? ""): \(error)")
            throw ExitCode.failure
        }
        let model: any TextModel
        do {
            model = try await selection.load(concurrency: concurrency, contextPerSlot: contextPerSlot)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        let localPath = selection.url.isEmpty ? (selection.model ?? MLPaths().defaultModel) : nil
        let modelName = selection.url.isEmpty ? model.info.id : (selection.model ?? "default")
        do {
            let failures = try await SignalCancellation.run { [self] () async throws -> Int in
                try await self.evaluate(model: model, modelName: modelName, set: set,
                                        judgeLoader: { try await judge.load(concurrency: concurrency, shared: localPath.map { (model, $0) },
                                                                                    contextPerSlot: contextPerSlot) })
            }
            await model.close()
            if failures > 0 {
                printError("\(failures) failure(s): see above")
                throw ExitCode.failure
            }
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            await model.close()
            throw ExitCode(130)
        } catch {
            await model.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// What one slot of a local server needs: an answer, and a judge prompt quoting it with the judge's reply.
    private var contextPerSlot: Int { Judge.slotContext(answerTokens: maxTokens, replyTokens: judge.maxTokens) }

    /// Runs everything and prints the report; returns the number of failures.
    private func evaluate(model: any TextModel, modelName: String, set: ProbeSet,
                          judgeLoader: @Sendable () async throws -> JudgeSelection.Loaded) async throws -> Int {
        var failures = 0
        let runner = ProbeRunner(model: model, options: GenerateOptions(maxTokens: maxTokens, temperature: temperature, seed: seed),
                                 concurrency: concurrency)
        // The judge is loaded first, so that with --score each answer is judged as soon as it arrives, probe answers
        // and judge calls sharing the --concurrency slots.
        let loaded = score || content ? try await judgeLoader() : nil
        do {
            failures += try await evaluate(model: model, modelName: modelName, set: set, runner: runner, loaded: loaded)
        } catch {
            await loaded?.close()
            throw error
        }
        await loaded?.close()
        return failures
    }

    private func evaluate(model: any TextModel, modelName: String, set: ProbeSet, runner: ProbeRunner,
                          loaded: JudgeSelection.Loaded?) async throws -> Int {
        var failures = 0
        let judgeValue = loaded.map(judge.judge)
        let total = set.probes.count
        let progress = ProgressTracker(total: total * samples, unit: "probes")
        printError("asking \(total) probes (\(set.categories.count) categories)\(samples > 1 ? " \(samples) times each" : "") of \(modelName)"
                   + (score ? ", each answer judged as it arrives…" : "…"))
        let onResult: @Sendable (ProbeResult) async -> Void = { result in
            let mark = result.error != nil ? "ERROR" : result.incomplete ? "incomplete" : result.passed ? "pass" : "fail"
            progress.record(failed: result.error != nil, note: "\(result.id): \(mark)")
        }
        let report: ProbeReport
        var judged: [String: JudgeVerdict] = [:]
        if score, let judgeValue {
            let outcome = try await JudgedProbeRunner(probes: runner, judge: judgeValue, slots: concurrency,
                                                      judgesFailedAnswers: true).run(set, model: modelName, onResult: onResult)
            report = outcome.report
            judged = outcome.judged
        } else {
            report = try await runner.run(set, onResult: onResult)
        }
        for result in report.results where result.error != nil {
            printError("probe \(result.id) failed: \(result.error!)")
            failures += 1
        }
        print("\nCapability probes — \(modelName)")
        print(ScoreReport.probeTable(report, categoryOrder: set.categories))
        if report.incomplete > 0 { print("\(report.incomplete) answer(s) still inside an unclosed reasoning block") }
        var sampled: ProbeSamples?
        if samples > 1 {
            let more = try await runner.runSamples(set, samples: 1..<samples, onResult: onResult)
            for result in more.flatMap(\.results) where result.error != nil {
                printError("probe \(result.id) failed: \(result.error!)")
                failures += 1
            }
            let all = ProbeSamples(reports: [report] + more)
            print("\n\(samples) samples per probe — \(modelName)")
            print(ScoreReport.samplesTable(all))
            sampled = all
        }
        if let output {
            try AtomicFile.write(report.encodeReferenceJSON(samples: sampled), toPath: output)
            print("probe results: \(output)")
        }
        let items = report.responseItems(model: modelName, set: set)
        if let answers {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var data = Data()
            for item in items { data += try encoder.encode(item) + Data([10]) }
            try AtomicFile.write(data, toPath: answers)
            print("answers: \(answers)")
        }
        guard let loaded, let judgeValue else { return failures }
        if score {
            failures += scoreAnswers(items, judged: judged, judgeName: loaded.modelName)
        }
        if content {
            printError("asking \(ContentProbe.builtIn.count) content probes…")
            let contentRunner = ContentProbeRunner(model: model, judge: judgeValue, concurrency: concurrency)
            let results = try await contentRunner.run()
            print("\nContent probes — \(modelName), judged by \(loaded.modelName)")
            print(ScoreReport.contentTable(results))
            failures += results.filter { !$0.verdict.isScored }.count
        }
        return failures
    }

    /// Scores the answers with the heuristic scorer, beside their capability verdicts (judged as they arrived), as
    /// the scoring engine's heuristic + capability results; returns the failed items.
    private func scoreAnswers(_ items: [ResponseItem], judged: [String: JudgeVerdict], judgeName: String) -> Int {
        let results = items.enumerated().map { index, item in
            ItemResult(line: index + 1, id: item.id, model: item.model, domain: item.domain,
                       heuristic: HeuristicScorer.score(item.response),
                       judges: judged[item.id].map { [JudgeSuite.capability.rawValue: $0] } ?? [:])
        }
        print("\nScores of the answers (heuristic + capability judge by \(judgeName))")
        print(ScoreReport.averagesTable(ScoreFile.modelAverages(results)))
        for result in results where result.failed {
            printError("scoring \(result.id.map { InputExcerpt.of($0) } ?? "line \(result.line)") failed: \(result.failures.joined(separator: "; "))")
        }
        return results.filter(\.failed).count
    }
}
