import ArgumentParser
import Evaluation
import Foundation
import Inference
import MLErrors
import SafeFiles
import Locking

struct ScoreCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a JSON-lines file of model responses.",
        discussion: """
            Each input line is {"id", "prompt", "response", "model", …} (see the scoring spec). Heuristic and exact
            match run inline; judge suites ask the judge with at most --concurrency calls in flight. Results are
            written as items finish: per-item lines to OUTPUT.items.jsonl, then the score file (the reference's shape)
            to OUTPUT. A journal (OUTPUT.journal) makes the run crash-safe: rerun with --resume after Ctrl-C or a crash
            and nothing finished is redone. Every failed item is recorded with its reason; the exit status is 1 when
            any item failed. With judge suites and no judge flags, the default local model judges.
            """
    )

    @Option(help: "The responses, one JSON object per line.") var input: String
    @Option(help: "The score file to write (default: INPUT without .jsonl + .scores.json).") var output: String?
    @Option(help: "Suites, comma-separated, or all: heuristic, exact, semantic, content, capability, truthfulqa, donotanswer, toxigen.")
    var suites: String = "heuristic,exact"
    @Option(help: "Judge calls in flight at most: a local judge's server slots (each with the model's whole context).")
    var concurrency: Int = 4
    @Flag(help: "Reuse finished items from the journal of an earlier run with the same configuration.") var resume = false
    @Flag(help: "With --resume, judge again items that failed last time.") var retryFailed = false
    @Option(help: "A probe-set file, when capability items refer to probes of your own.") var probes: String?
    @OptionGroup(title: "Judge") var judge: JudgeSelection

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        _ = try ScoringSuite.parse([suites])
    }

    var fileInputs: [(name: String, path: String)] {
        Self.files([("--input", input), ("--probes", probes), ("--judge-model-path", judge.judgeModelPath)])
    }

    /// The run's files: the input, the score file and the files beside it.
    var scoringRun: ScoringRun { ScoringRun(inputPath: input, outputPath: output) }

    var fileOutputs: [FileOutput] {
        let run = scoringRun
        return [.file(flag: "--output", path: run.outputPath),
                .file(flag: "the per-item results file", path: run.itemsPath),
                .file(flag: "the journal", path: run.journalPath)]
    }

    func run() async throws {
        let suiteList = try ScoringSuite.parse([suites])
        let scoring = scoringRun
        // Nothing of an earlier run (score file, per-item results, journal) is touched before the input has been
        // checked, and no output may be one of the inputs.
        if let problem = scoring.inputProblem() {
            printError("error: --input '\(input)' \(problem)")
            throw ExitCode.failure
        }
        try checkOutputs()
        let probeSet = try probes.map { try ProbeSet.load(path: $0) } ?? .builtIn
        let (loadedJudge, configuration) = try await judge.loadForCommand(suiteList, concurrency: concurrency)
        // The bar's total is counted beside the run rather than before it, a pass over the input of its own.
        let total = Locked<Int?>(nil)
        let inputToCount = input
        let counting = Task.detached(priority: .utility) {
            let lines = ProgressDisplay.countLines(path: inputToCount)
            total.withLock { $0 = lines }
        }
        defer { counting.cancel() }
        let display = ProgressDisplay(total: nil)
        let engine = ScoringEngine(
            configuration: configuration,
            judge: loadedJudge.map(judge.judge),
            concurrency: concurrency, probeSet: probeSet, progressInterval: display.interval,
            retryFailedOnResume: retryFailed, onProgress: { progress in
                var shown = display
                shown.total = total.current
                shown.show(progress)
            })
        let resume = resume
        let summary: ScoringSummary
        let scoreFile: ScoreFileBuilder
        do {
            (summary, scoreFile) = try await SignalCancellation.run { try await scoring.score(with: engine, resume: resume) }
        } catch is CancellationError {
            await loadedJudge?.close()
            printError("stopped: finished items are in the journal \(scoring.journalPath); rerun with --resume to continue")
            throw ExitCode(130)
        } catch {
            await loadedJudge?.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
        await loadedJudge?.close()
        let averages = try scoreFile.commit(
            metadata: ScoreFileMetadata(configuration: configuration, judgeModelSHA256: loadedJudge?.modelSHA256))
        print(ScoreReport.averagesTable(averages))
        print("\(summary.items) items, \(summary.failed) failed, \(summary.resumed) resumed, \(summary.judgeCalls) judge calls, "
              + String(format: "%.1f s", summary.elapsedSeconds))
        print("score file: \(scoring.outputPath)\nper-item results: \(scoring.itemsPath)")
        if summary.failed > 0 {
            Self.printFailures(scoring.failedItems(limit: 10))
            printError("\(summary.failed) item(s) failed; their reasons are in \(scoring.itemsPath) (\"failures\")")
            throw ExitCode.failure
        }
    }

    /// Names failed items (line, id, reasons) on standard error.
    static func printFailures(_ failed: [ItemResult]) {
        for result in failed {
            let reasons = result.failures.joined(separator: "; ")
            let name = result.id.map { "item \(InputExcerpt.of($0)) (line \(result.line))" } ?? "line \(result.line)"
            printError(reasons.hasPrefix("line ") ? reasons : "\(name): \(reasons)")
        }
    }
}
