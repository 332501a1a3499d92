import Evaluation
import Foundation
import JSONValues
import Runs
import SafeFiles

extension MLTool {
    /// The most items one call scores in memory (a file has no limit: it is streamed).
    public static let maxScoredItems = 1000

    /// `ml_score`'s arguments.
    static let scoreSchema: JSONValue = ToolSchema.object([
        ("prompt", ToolSchema.string("The prompt of one pair.")),
        ("response", ToolSchema.string("The response of one pair.")),
        ("correct_answer", ToolSchema.string("The expected answer of one pair (the exact suite).")),
        ("id", ToolSchema.string("The pair's id (default: pair).")),
        ("model", ToolSchema.string("The model that answered (default: unknown).")),
        ("items", .object([
            "type": .string("array"), "maxItems": .number(Double(maxScoredItems)),
            "description": .string("Items to score: {id, prompt, response, model, correct_answer?, domain?}."),
            "items": .object(["type": .string("object")]),
        ])),
        ("input", ToolSchema.string("A JSON-lines file of items inside the root (as for `ml score --input`).")),
        ("output", ToolSchema.string("With input: the score file to write (default: INPUT without .jsonl + .scores.json).")),
        ("resume", ToolSchema.boolean("With input: reuse finished items from an earlier run's journal.")),
        ("suites", ToolSchema.strings("Suites to run (default heuristic, exact), or [\"all\"].")),
        ("concurrency", ToolSchema.integer("Judge calls in flight at most (default 4).", minimum: 1, maximum: 64)),
    ])

    /// `ml_score`: `ml score` on a prompt/response pair, a list of items, or a JSON-lines file inside the roots.
    public static func score(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_score", title: "Score responses",
            description: """
                Scores model responses exactly as `ml score` does. Give one pair (prompt + response, with \
                correct_answer for exact match), or items (a list of {id, prompt, response, model, correct_answer?}), \
                or input: a JSON-lines file of such items inside the server's root (then the score file, per-item \
                results and journal are written beside it, or to output). Suites: heuristic (eight sub-scores and \
                lek_score), exact (GSM8K-style exact match against correct_answer), and the judge suites semantic, \
                content, capability, truthfulqa, donotanswer, toxigen (asked of the server's judge model). Returns \
                each item's results and each model's averages; a file run returns the score file's path and averages.
                """,
            inputSchema: scoreSchema,
            readOnly: false
        ) { arguments, progress in
            let suiteNames = try arguments.strings("suites")
            let suites: [ScoringSuite]
            do {
                suites = try ScoringSuite.parse(suiteNames.isEmpty ? ["heuristic,exact"] : suiteNames)
            } catch {
                throw ToolError(.invalidArgument, "suites: \(error)")
            }
            let concurrency = try arguments.int("concurrency", in: 1...64) ?? 4
            if let input = try arguments.path("input", in: environment.roots) {
                for name in ["prompt", "response", "correct_answer", "id", "model", "items"] where arguments.values[name] != nil {
                    throw ToolError(.invalidArgument, "give input, items or a pair, not several ('\(name)' with 'input')")
                }
                return try await scoreFile(input: input, output: try arguments.path("output", in: environment.roots),
                                           resume: try arguments.bool("resume") ?? false, suites: suites,
                                           concurrency: concurrency, environment: environment, progress: progress)
            }
            for name in ["output", "resume"] where arguments.values[name] != nil {
                throw ToolError(.invalidArgument, "'\(name)' goes with 'input'")
            }
            let items = try scoredItems(arguments)
            let (judge, _, configuration) = try await judgeFor(suites, environment)
            let engine = ScoringEngine(configuration: configuration, judge: judge, concurrency: concurrency)
            let (results, summary) = try await engine.score(items)
            let failed = results.filter(\.failed)
            var text = "\(results.count) item(s) scored, \(failed.count) failed, \(summary.judgeCalls) judge call(s)"
            if results.count == 1, let h = results[0].heuristic { text += String(format: "; lek_score %.2f", h.lekScore) }
            for result in failed.prefix(5) {
                text += "\nitem \(result.id ?? "line \(result.line)"): " + result.failures.joined(separator: "; ")
            }
            return ToolOutput(structured: .object([
                "results": .array(try results.map(Self.json)),
                "averages": Self.json(averages: ScoreFile.modelAverages(results)),
                "items": .int(results.count), "failed": .int(failed.count), "judge_calls": .int(summary.judgeCalls),
            ]), text: text)
        }
    }

    /// The items of a pair or an `items` list, checked and numbered as lines of a file would be.
    static func scoredItems(_ arguments: ToolArguments) throws -> [ResponseItem] {
        if case .array(let list)? = arguments.values["items"] {
            for name in ["prompt", "response", "correct_answer", "id", "model"] where arguments.values[name] != nil {
                throw ToolError(.invalidArgument, "give items or a pair, not both ('\(name)' with 'items')")
            }
            guard !list.isEmpty else { throw ToolError(.invalidArgument, "'items' is empty") }
            guard list.count <= maxScoredItems else {
                throw ToolError(.invalidArgument, "'items' holds \(list.count) items; at most \(maxScoredItems) per call (give a file as input for more)")
            }
            return try list.enumerated().map { index, value in
                do {
                    return try JSONDecoder().decode(ResponseItem.self, from: Data(value.serialized().utf8))
                } catch {
                    throw ToolError(.invalidArgument, "items[\(index)]: \(error)")
                }
            }
        }
        guard arguments.values["items"] == nil || arguments.values["items"] == .null else {
            throw ToolError(.invalidArgument, "'items' must be a list of objects")
        }
        return [ResponseItem(id: try arguments.string("id") ?? "pair", prompt: try arguments.requiredString("prompt"),
                             response: try arguments.requiredString("response"), model: try arguments.string("model") ?? "unknown",
                             correctAnswer: try arguments.string("correct_answer"))]
    }

    /// `ml score --input INPUT [--output OUTPUT] [--resume]`: the same files, the same results.
    static func scoreFile(input: String, output: String?, resume: Bool, suites: [ScoringSuite], concurrency: Int,
                          environment: ToolEnvironment, progress: ToolProgress) async throws -> ToolOutput {
        let run = ScoringRun(inputPath: input, outputPath: output)
        if let problem = run.inputProblem() { throw ToolError(.invalidArgument, "input '\(input)' \(problem)") }
        _ = try [run.outputPath, run.itemsPath, run.journalPath].map { try environment.roots.resolve($0) }
        do {
            try OutputCheck.require([.file(flag: "output", path: run.outputPath), .file(flag: "the per-item results file", path: run.itemsPath),
                                     .file(flag: "the journal", path: run.journalPath)], distinctFrom: [("input", input)])
        } catch {
            throw ToolError(.invalidArgument, "\(error)", underlying: error)
        }
        let (judge, loaded, configuration) = try await judgeFor(suites, environment)
        let steps = OrderedProgress(total: nil, progress)
        let engine = ScoringEngine(configuration: configuration, judge: judge, concurrency: concurrency,
                                   onProgress: { steps.report(Double($0.done), "\($0.done) item(s) scored") })
        let scored: (summary: ScoringSummary, scoreFile: ScoreFileBuilder)
        do {
            scored = try await run.score(with: engine, resume: resume)
        } catch is CancellationError {
            await steps.finish()
            throw CancellationError()
        } catch {
            await steps.finish()
            throw ToolError(.failed, "scoring \(input): \(error)", underlying: error)
        }
        await steps.finish()
        let (summary, scoreFile) = scored
        let averages = try scoreFile.commit(metadata: ScoreFileMetadata(configuration: configuration, judgeModelSHA256: loaded?.modelSHA256))
        var text = "\(summary.items) item(s), \(summary.failed) failed, \(summary.resumed) resumed, \(summary.judgeCalls) judge call(s); "
            + "score file: \(run.outputPath)"
        for result in summary.failed > 0 ? run.failedItems(limit: 5) : [] {
            text += "\nitem \(result.id ?? "line \(result.line)"): " + result.failures.joined(separator: "; ")
        }
        return ToolOutput(structured: .object([
            "score_file": .string(run.outputPath), "items_file": .string(run.itemsPath),
            "averages": Self.json(averages: averages),
            "items": .int(summary.items), "failed": .int(summary.failed), "resumed": .int(summary.resumed),
            "judge_calls": .int(summary.judgeCalls),
        ]), text: text)
    }

    static func judgeFor(_ suites: [ScoringSuite], _ environment: ToolEnvironment) async throws
        -> (Judge?, LoadedJudge?, ScoringConfiguration)
    {
        guard suites.contains(where: { $0.judgeSuite != nil }) else {
            return (nil, nil, JudgeSettings().scoringConfiguration(suites, judge: nil))
        }
        guard let judge = environment.judge else {
            throw ToolError(.failed, "judge suites need a judge and this server has none configured")
        }
        return try await judge.forScoring(suites)
    }

    /// An item's results as `ml score` writes them to its per-item results file.
    static func json(_ result: ItemResult) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(result))
    }

    static func json(averages: [String: [String: Double]]) -> JSONValue {
        .object(averages.mapValues { .object($0.mapValues(JSONValue.double)) })
    }
}
