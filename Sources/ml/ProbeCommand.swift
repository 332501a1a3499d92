import ArgumentParser
import Evaluation
import Foundation
import MLErrors
import SafeFiles
import Inference
import Runs

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
            throw CommandError(.input, "probe set \(probes ?? ""): \(error)", underlying: error)
        }
        let model = try await selection.load(concurrency: concurrency, contextPerSlot: contextPerSlot)
        // The judge shares the model's server only when it would run the very same model: never with an adapter on.
        let localPath = selection.adapter == nil ? selection.settings.localPath() : nil
        let modelName = selection.settings.recordedName(of: model)
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
            throw error
        }
    }

    /// What one slot of a local server needs: an answer, and a judge prompt quoting it with the judge's reply.
    private var contextPerSlot: Int { Judge.slotContext(answerTokens: maxTokens, replyTokens: judge.maxTokens) }

    /// Runs everything and prints the report; returns the number of failures.
    private func evaluate(model: any TextModel, modelName: String, set: ProbeSet,
                          judgeLoader: @Sendable () async throws -> JudgeSelection.Loaded) async throws -> Int {
        // The judge is loaded first, so that with --score each answer is judged as soon as it arrives, probe answers
        // and judge calls sharing the --concurrency slots.
        let loaded = score || content ? try await judgeLoader() : nil
        do {
            let failures = try await evaluate(model: model, modelName: modelName, set: set, loaded: loaded)
            await loaded?.close()
            return failures
        } catch {
            await loaded?.close()
            throw error
        }
    }

    /// The probe session, its steps printed and its files written as they finish.
    private func evaluate(model: any TextModel, modelName: String, set: ProbeSet, loaded: JudgeSelection.Loaded?) async throws -> Int {
        let session = ProbeSession(
            model: model, modelName: modelName, judge: loaded.map(judge.judge),
            settings: ProbeSessionSettings(
                probeSet: set, answerOptions: GenerateOptions(maxTokens: maxTokens, temperature: temperature, seed: seed),
                concurrency: concurrency, samples: samples, scoresAnswers: score, judgesFailedAnswers: true,
                contentProbes: content ? ContentProbe.builtIn : nil))
        let progress = ProgressTracker(total: set.probes.count * samples, unit: "probes")
        printError("asking \(set.probes.count) probes (\(set.categories.count) categories)\(samples > 1 ? " \(samples) times each" : "") of \(modelName)"
                   + (score ? ", each answer judged as it arrives…" : "…"))
        let judgeName = loaded?.modelName ?? ""
        let result = try await session.run(onResult: { result in
            let mark = result.error != nil ? "ERROR" : result.incomplete ? "incomplete" : result.passed ? "pass" : "fail"
            progress.record(failed: result.error != nil, note: "\(result.id): \(mark)")
        }, onEvent: { [self] event in
            try self.show(event, modelName: modelName, set: set, judgeName: judgeName)
        })
        if let content = result.content {
            print("\nContent probes — \(modelName), judged by \(judgeName)")
            print(ScoreReport.contentTable(content))
        }
        return result.failures
    }

    /// Prints a finished step of the session, and writes the files once the answers are in.
    private func show(_ event: ProbeSessionEvent, modelName: String, set: ProbeSet, judgeName: String) throws {
        switch event {
        case .answered(let report):
            for result in report.results where result.error != nil {
                printError("probe \(result.id) failed: \(result.error ?? "")")
            }
            print("\nCapability probes — \(modelName)")
            print(ScoreReport.probeTable(report, categoryOrder: set.categories))
            if report.incomplete > 0 { print("\(report.incomplete) answer(s) still inside an unclosed reasoning block") }
        case .sampled(let all, let failed):
            for result in failed { printError("probe \(result.id) failed: \(result.error ?? "")") }
            print("\n\(samples) samples per probe — \(modelName)")
            print(ScoreReport.samplesTable(all))
        case .answersReady(let result):
            if let output {
                try AtomicFile.write(result.report.encodeReferenceJSON(samples: result.samples), toPath: output)
                print("probe results: \(output)")
            }
            if let answers {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                var data = Data()
                for item in result.responseItems { data += try encoder.encode(item) + Data([10]) }
                try AtomicFile.write(data, toPath: answers)
                print("answers: \(answers)")
            }
        case .scored(let results):
            print("\nScores of the answers (heuristic + capability judge by \(judgeName))")
            print(ScoreReport.averagesTable(ScoreFile.modelAverages(results)))
            for result in results where result.failed {
                printError("scoring \(result.id.map { InputExcerpt.of($0) } ?? "line \(result.line)") failed: \(result.failures.joined(separator: "; "))")
            }
        case .askingContent(let count):
            printError("asking \(count) content probes…")
        }
    }
}
