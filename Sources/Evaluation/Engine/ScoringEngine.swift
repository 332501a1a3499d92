import Foundation
import Inference
import SafeFiles

/// Scores a stream of JSON-lines responses: heuristic and exact inline, judge suites with bounded concurrency.
///
/// - Input is read in batches; output lines are written as items finish, in input order. Judge work runs in a
///   structured task group with at most ``concurrency`` items in flight, and a sliding window: completed items wait
///   for earlier ones in a reorder buffer of at most ``reorderWindow`` items, so memory stays bounded however long
///   the input is.
/// - Every failure (unreadable line — named by its line number —, judge error, unusable judge reply) is recorded in
///   the item's output line and the run goes on; the summary counts them.
/// - With a journal, each finished item is appended (judged items are `fsync`ed, the others batched), and a resumed
///   run reuses them. Each result is encoded once, for the journal and the output alike; file output is buffered.
/// - Cancelling the calling task stops the run promptly (`CancellationError`).
///
/// The decisions are pure parts, tested without I/O: ``ItemPlan`` (reuse, write or judge), ``ResumableResults``
/// (which journaled result a line reuses), ``JudgeApplicability`` (which suites judge an item), ``ReorderBuffer``
/// and ``InFlightLimit`` (output order, when to wait); ``ScoringPass`` keeps the books, this type runs the tasks.
public struct ScoringEngine: Sendable {
    public var configuration: ScoringConfiguration
    /// Needed when any judge suite is enabled.
    public var judge: Judge?
    /// Items with judge calls in flight at most.
    public var concurrency: Int
    /// Items between the oldest unwritten one and the newest read one, at most (≥ concurrency).
    public var reorderWindow: Int
    public var probeSet: ProbeSet
    public var contentProbes: [ContentProbe]
    /// How often progress is reported (also once at the end).
    public var progressInterval: Duration
    public var onProgress: (@Sendable (ScoringProgress) -> Void)?
    /// On resume, judge again items whose journaled result had failures.
    public var retryFailedOnResume: Bool

    public init(configuration: ScoringConfiguration, judge: Judge? = nil, concurrency: Int = 4,
                reorderWindow: Int? = nil, probeSet: ProbeSet = .builtIn,
                contentProbes: [ContentProbe] = ContentProbe.builtIn, progressInterval: Duration = .seconds(1),
                retryFailedOnResume: Bool = false, onProgress: (@Sendable (ScoringProgress) -> Void)? = nil) {
        self.configuration = configuration
        self.judge = judge
        self.concurrency = max(1, concurrency)
        self.reorderWindow = max(self.concurrency, reorderWindow ?? self.concurrency * 8)
        self.probeSet = probeSet
        self.contentProbes = contentProbes
        self.progressInterval = progressInterval
        self.retryFailedOnResume = retryFailedOnResume
        self.onProgress = onProgress
    }

    /// The rules of which judge suites apply to an item and what the judge is shown, for this engine's probes.
    public var applicability: JudgeApplicability {
        JudgeApplicability(probeSet: probeSet, contentProbes: contentProbes)
    }

    /// The spec's "used when" column (``JudgeApplicability/applies(_:to:)``).
    public func applies(_ suite: JudgeSuite, to item: ResponseItem) -> Bool { applicability.applies(suite, to: item) }

    /// What `suite`'s judge is shown for `item` (``JudgeApplicability/input(for:_:)``).
    public func input(for suite: JudgeSuite, _ item: ResponseItem) -> JudgeInput {
        applicability.input(for: suite, item)
    }

    // MARK: - Entry points

    /// Scores the file at `inputPath` into `outputPath` (JSON lines, replaced atomically when the run has finished),
    /// journaling to `journalPath`. With `scoreFile`, every result (resumed ones too) is also added to it, in input
    /// order, so the caller can commit the score file without reading the results back.
    public func run(inputPath: String, outputPath: String, journalPath: String? = nil, resume: Bool = false,
                    scoreFile: ScoreFileBuilder? = nil) async throws -> ScoringSummary
    {
        // The input is opened and checked first: a bad one leaves every file of an earlier run as it was.
        let reader = try LineReader(path: inputPath)
        let output = try FileError.wrapping(path: outputPath) { try AtomicFileWriter(path: outputPath) }
        let journal = try journalPath.map { try ScoringJournal(path: $0, configHash: configuration.hash, resume: resume) }
        // Whatever happens, what was scored reaches the journal (its pending batch included), so a resume keeps it.
        defer { try? journal?.flush() }
        let encoder = ResultLineEncoder()
        let summary = try await run(nextBatch: {
            try reader.nextBatch(firstLineNumber: $0, maxLines: $1, maxBytes: Self.batchBytes)
        }, journal: journal) { result, encoded in
            try output.write(encoder.line(result, encoded: encoded))
            try scoreFile?.add(result)
        }
        try FileError.wrapping(path: outputPath) { try output.commit() }
        return summary
    }

    /// Scores `lines` (one JSON object each), calling `output` with each result line in input order.
    public func run<Lines: AsyncSequence>(
        lines: Lines,
        journal: ScoringJournal? = nil,
        output: (Data) throws -> Void
    ) async throws -> ScoringSummary where Lines.Element == String {
        var iterator = lines.makeAsyncIterator()
        let encoder = ResultLineEncoder()
        return try await run(nextBatch: { (firstLine: Int, maxLines: Int) -> LineBatch? in
            var batch = LineBatch(firstLineNumber: firstLine)
            while batch.lines.count < maxLines, batch.bytes.count < Self.batchBytes, let line = try await iterator.next() {
                batch.append(line.utf8)
            }
            return batch.lines.isEmpty ? nil : batch
        }, journal: journal) { result, encoded in
            try output(encoder.line(result, encoded: encoded))
        }
    }

    /// Scores items held in memory (a probe run's answers, the data pipeline's answers) and returns their results in
    /// order, numbered from line 1 as an input file's lines would be — the results a file of their JSON lines gets,
    /// without writing or reading JSON.
    public func score(_ items: [ResponseItem]) async throws -> (results: [ItemResult], summary: ScoringSummary) {
        var results: [ItemResult] = []
        results.reserveCapacity(items.count)
        var next = items.startIndex
        let summary = try await run(nextBatch: { (firstLine: Int, maxLines: Int) -> ItemBatch? in
            guard next < items.endIndex else { return nil }
            let end = min(items.endIndex, next + maxLines)
            defer { next = end }
            return ItemBatch(firstLineNumber: firstLine, items: items[next..<end])
        }, journal: nil) { result, _ in results.append(result) }
        return (results, summary)
    }

    /// A batch's bytes, about (past its first line).
    static let batchBytes = 1 << 20

    // MARK: - Core

    /// `nextBatch(firstLineNumber, maxLines)` reads the input's next elements; `output` gets each result in input
    /// order, with its line when it was encoded already.
    private func run<Batch: ScoringInput>(
        nextBatch: (Int, Int) async throws -> Batch?,
        journal: ScoringJournal?,
        output: (ItemResult, Data?) throws -> Void
    ) async throws -> ScoringSummary {
        let judgeSuites = configuration.judgeSuites
        if !judgeSuites.isEmpty && judge == nil {
            throw EvaluationError(.missingJudge, "judge suites are enabled but no judge backend was given")
        }
        var resumable = ResumableResults(try journal?.load() ?? [:], retryFailed: retryFailedOnResume)
        let journaled = resumable.journaledIDs
        let analyzer = ItemAnalyzer(suites: configuration.suites)
        let applicability = self.applicability
        let limit = InFlightLimit(concurrency: concurrency, reorderWindow: reorderWindow)
        let judge = self.judge
        var pass = ScoringPass(journal: journal, progressInterval: progressInterval, onProgress: onProgress)

        try await withThrowingTaskGroup(of: (Int, ScoringPass.Finished).self) { group in
            func collectOne() async throws {
                guard let next = try await group.next() else { return }
                pass.inFlight -= 1
                try pass.finish(next.1, seq: next.0)
                try pass.emitReady(output)
            }

            /// Plans `batch`'s analysed lines in order: journals, orders and writes them, and starts their judge calls.
            func process(_ batch: Batch, _ analyzed: [AnalyzedLine]) async throws {
                for (index, entry) in analyzed.enumerated() {
                    try Task.checkCancellation()
                    guard let plan = ItemPlan.plan(entry, line: batch.firstLineNumber + index, judgeSuites: judgeSuites,
                                                   applicability: applicability, analyzer: analyzer,
                                                   resumable: &resumable)
                    else { continue }
                    let seq = pass.assign()
                    if let work = try pass.admit(plan, seq: seq), let judge {
                        let (result, item, suites) = work
                        group.addTask {
                            var result = result
                            for suite in suites {
                                let input = applicability.input(for: suite, item)
                                result.judges[suite.rawValue] = try await judge.judge(suite, input)
                            }
                            result.recomputeFailures()
                            return (seq, ScoringPass.Finished(result: result, judged: true))
                        }
                    }
                    try pass.emitReady(output)
                    while limit.mustWait(inFlight: pass.inFlight, span: pass.order.span) {
                        try await collectOne()
                    }
                }
            }

            // Without judge suites, lines are decoded, scored and encoded in batches spread over the cores, and the
            // next batch is analysed while this task does what is left of the current one — journal, order, output —
            // in input order. With judge suites, one line at a time.
            let pipelined = judgeSuites.isEmpty
            let batchLines = pipelined ? 512 : 1
            @Sendable func analyze(_ batch: Batch?) async -> [AnalyzedLine] {
                guard let batch else { return [] }
                return await analyzer.analyze(batch, journaled: journaled)
            }

            var current = try await nextBatch(1, batchLines)
            var analyzed: [AnalyzedLine] = []
            if let first = current {
                analyzed = pipelined ? await analyze(first)
                    : first.analyze(0..<first.count, with: analyzer, journaled: journaled)
            }
            while let batch = current {
                try Task.checkCancellation()
                let following = try await nextBatch(batch.firstLineNumber + batch.count, batchLines)
                if pipelined {
                    async let analyzedFollowing = analyze(following)
                    try await process(batch, analyzed)
                    analyzed = await analyzedFollowing
                } else {
                    // A line at a time, analysed right here: a child task per line would cost more than the line,
                    // and on busy cores it delayed the next judge call.
                    try await process(batch, analyzed)
                    analyzed = following.map { $0.analyze(0..<$0.count, with: analyzer, journaled: journaled) } ?? []
                }
                current = following
            }
            while pass.inFlight > 0 { try await collectOne() }
            try pass.emitReady(output)
        }
        try journal?.flush()
        onProgress?(pass.progress(finished: true))
        return ScoringSummary(items: pass.done, failed: pass.failed, resumed: pass.resumed, judgeCalls: pass.judgeCalls,
                              elapsedSeconds: pass.elapsedSeconds, configHash: configuration.hash)
    }
}
