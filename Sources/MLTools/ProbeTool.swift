import Evaluation
import Foundation
import Inference
import JSONValues
import Runs
import SafeFiles
import Statistics

extension MLTool {
    /// `ml_probe`'s arguments.
    static let probeSchema: JSONValue = ToolSchema.object([
        ("model", ToolSchema.string("A GGUF file or MLX directory inside the root, or the openai server's model name; default: the default model.")),
        ("backend", ToolSchema.string("Which backend runs it.", enumeration: ["llama", "mlx", "openai"])),
        ("categories", ToolSchema.strings("Only the probes of these categories (default: every probe).")),
        ("score", ToolSchema.boolean("Also score the answers: heuristic sub-scores and the capability judge (default false).")),
        ("samples", ToolSchema.integer("Ask every probe this many times (default 1).", minimum: 1, maximum: 16)),
        ("temperature", ToolSchema.number("Sampling temperature of the answers (default 0: greedy).", minimum: 0, maximum: 2)),
        ("max_tokens", ToolSchema.integer("Most tokens per answer (default 512).", minimum: 1, maximum: 8192)),
        ("seed", ToolSchema.integer("Random seed of the answers (sample i uses seed + i).", minimum: 0, maximum: Int(Int32.max))),
        ("concurrency", ToolSchema.integer("Probes in flight at once (default 4).", minimum: 1, maximum: 64)),
        ("output", ToolSchema.string("Write the probe-result file here (inside the root).")),
    ])

    /// `ml_probe`: `ml probe` on a model the server loads once, with a progress notification per answered probe;
    /// cancelling the call stops the generations in flight.
    public static func probe(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_probe", title: "Run the capability probes",
            description: """
                Asks a model the capability probes (23 built-in questions in categories such as arithmetic, logic, \
                code and reasoning, each checked against its expected answer) and returns the accuracy with its \
                Wilson 95% interval, per category and per probe. The model is the default local model unless `model` \
                names a GGUF file (backend llama), an MLX directory (backend mlx) or a model of the configured \
                OpenAI-compatible server (backend openai). `categories` limits the probes; `score` also scores every \
                answer (heuristic sub-scores and the capability judge); `samples` asks every probe K times (use a \
                temperature above 0) for pass rates and pass@K; `output` writes the probe-result file (the \
                reference's shape, readable by ml_compare). Sends a progress notification per answer; cancel the \
                call to stop it.
                """,
            inputSchema: probeSchema,
            readOnly: false,
            validate: { arguments in _ = try ProbeRequest(arguments, roots: environment.roots) }
        ) { arguments, progress in
            guard let models = environment.models else { throw ToolError(.failed, "this server has no model loader") }
            let probe = try ProbeRequest(arguments, roots: environment.roots)
            var judge: (judge: Judge, name: String)?
            if probe.score {
                guard let shared = environment.judge else {
                    throw ToolError(.failed, "score needs a judge and this server has none configured")
                }
                let loaded = try await shared.loaded()
                judge = (shared.settings.judge(on: loaded.model), loaded.modelName)
            }
            let judging = judge
            return try await models.withModel(probe.model) { model in
                try await probe.run(on: model, judge: judging, progress: progress)
            }
        }
    }

    static func probeOutput(_ result: ProbeSessionResult, modelName: String, output: String?, judgeName: String?) -> ToolOutput {
        let report = result.report
        func wilson(_ successes: Int, _ trials: Int) -> JSONValue {
            WilsonInterval(successes: successes, trials: trials).map { .array([.double($0.low), .double($0.high)]) } ?? .null
        }
        let tallies = Dictionary((result.samples?.probes ?? []).map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var structured: [String: JSONValue] = [
            "model": .string(modelName),
            "accuracy": .double(report.accuracy), "accuracy_wilson_95": wilson(report.correct, report.total),
            "correct": .int(report.correct), "total": .int(report.total),
            "by_category": .object(report.byCategory.mapValues { .object(["correct": .int($0.correct), "total": .int($0.total)]) }),
            "probes": .array(report.results.map { probe in
                var entry: [String: JSONValue] = [
                    "id": .string(probe.id), "category": .string(probe.category), "passed": .bool(probe.passed),
                    "response": .string(ProbeReport.referenceResponse(probe.response)),
                ]
                if let error = probe.error { entry["error"] = .string(error) }
                if let tally = tallies[probe.id] {
                    entry["samples_passed"] = .int(tally.passed)
                    entry["pass_rate"] = .double(tally.passRate)
                }
                return .object(entry)
            }),
            "failures": .int(result.failures),
        ]
        if let samples = result.samples {
            structured["samples"] = .int(samples.count)
            structured["sample_accuracy"] = .double(samples.accuracy)
            structured["pass_at_1"] = samples.passAt(1).map(JSONValue.double) ?? .null
            structured["pass_at_k"] = samples.passAt(samples.count).map(JSONValue.double) ?? .null
        }
        if let items = result.itemResults {
            structured["averages"] = json(averages: ScoreFile.modelAverages(items))
            structured["judge"] = judgeName.map(JSONValue.string) ?? .null
        }
        if let output { structured["output"] = .string(output) }
        var text = String(format: "%@: %d of %d probes passed (%.1f%%)", modelName, report.correct, report.total, report.accuracy * 100)
        if let interval = WilsonInterval(successes: report.correct, trials: report.total) {
            text += String(format: ", 95%% interval %.1f–%.1f%%", interval.low * 100, interval.high * 100)
        }
        if let samples = result.samples {
            text += String(format: "; %d samples per probe, %.1f%% of all answers passed", samples.count, samples.accuracy * 100)
        }
        for failed in result.failedProbes.prefix(5) { text += "\nprobe \(failed.id) failed: \(failed.error ?? "")" }
        return ToolOutput(structured: .object(structured), text: text)
    }
}

/// An `ml_probe` call's arguments, checked: what runs, on which model, and where the results go.
struct ProbeRequest: Sendable {
    var model: ModelRequest
    var set: ProbeSet
    var score: Bool
    var samples: Int
    var options: GenerateOptions
    var concurrency: Int
    var output: String?

    init(_ arguments: ToolArguments, roots: FileRoots) throws {
        model = try ModelRequest(arguments, roots: roots)
        set = try Self.probeSet(categories: try arguments.strings("categories"))
        score = try arguments.bool("score") ?? false
        samples = try arguments.int("samples", in: 1...16) ?? 1
        options = GenerateOptions(maxTokens: try arguments.int("max_tokens", in: 1...8192) ?? 512,
                                  temperature: try arguments.double("temperature", in: 0...2) ?? 0,
                                  seed: try arguments.int("seed", in: 0...Int(Int32.max)).map(UInt64.init))
        concurrency = try arguments.int("concurrency", in: 1...64) ?? 4
        output = try arguments.path("output", in: roots)
    }

    /// The built-in probes, limited to `categories` when given (an unknown category is named with the known ones).
    static func probeSet(categories: [String]) throws -> ProbeSet {
        let set = ProbeSet.builtIn
        guard !categories.isEmpty else { return set }
        let known = set.categories
        if let unknown = categories.first(where: { !known.contains($0) }) {
            throw ToolError(.invalidArgument, "unknown category '\(unknown)'; the probes' categories are \(known.joined(separator: ", "))")
        }
        return ProbeSet(probes: set.probes.filter { categories.contains($0.category) })
    }

    /// Runs the probe session on `model`: a progress report per answer, the probe-result file written once the
    /// answers are in. Cancelling the task stops the generations in flight.
    func run(on model: any TextModel, judge: (judge: Judge, name: String)?, progress: ToolProgress) async throws -> ToolOutput {
        let modelName = self.model.model.map { ($0 as NSString).lastPathComponent } ?? model.info.id
        let session = ProbeSession(
            model: model, modelName: modelName, judge: judge?.judge,
            settings: ProbeSessionSettings(probeSet: set, answerOptions: options, concurrency: min(concurrency, max(1, model.capacity)),
                                           samples: samples, scoresAnswers: score, judgesFailedAnswers: true))
        let counter = EventCounter()
        let steps = OrderedProgress(total: Double(set.probes.count * samples), progress)
        let output = output
        let result: ProbeSessionResult
        do {
            result = try await session.run(onResult: { result in
                let mark = result.error != nil ? "error" : result.passed ? "passed" : "failed"
                steps.report(Double(counter.next()), "\(result.id): \(mark)")
            }, onEvent: { event in
                guard case .answersReady(let ready) = event, let output else { return }
                do {
                    try AtomicFile.write(ready.report.encodeReferenceJSON(samples: ready.samples), toPath: output)
                } catch {
                    throw ToolError(.failed, "writing \(output): \(error)", underlying: error)
                }
            })
        } catch {
            await steps.finish()
            throw error
        }
        await steps.finish()
        return MLTool.probeOutput(result, modelName: modelName, output: output, judgeName: judge?.name)
    }
}
