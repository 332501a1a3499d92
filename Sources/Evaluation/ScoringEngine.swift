import Foundation
import Inference
import SafeFiles
import Scoring

/// Scores a stream of JSON-lines responses: heuristic and exact inline, judge suites with bounded concurrency.
///
/// - Input is read one line at a time; output lines are written as items finish, in input order. Judge work runs
///   in a structured task group with at most ``concurrency`` items in flight, and a sliding window: completed items
///   wait for earlier ones in a reorder buffer of at most ``reorderWindow`` items, so memory stays bounded however
///   long the input is.
/// - Every failure (unreadable line — named by its line number —, judge error, unusable judge reply) is recorded in
///   the item's output line and the run goes on; the summary counts them.
/// - With a journal, each finished item is appended (judged items are `fsync`ed, the others batched), and a resumed
///   run reuses them. Each result is encoded once, for the journal and the output alike; file output is buffered.
/// - Cancelling the calling task stops the run promptly (`CancellationError`).
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

    public struct MissingJudge: Error, CustomStringConvertible {
        public var description: String { "judge suites are enabled but no judge backend was given" }
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
        let output = try ResultFileWriter(path: outputPath)
        let journal = try journalPath.map { try ScoringJournal(path: $0, configHash: configuration.hash, resume: resume) }
        // Whatever happens, what was scored reaches the journal (its pending batch included), so a resume keeps it.
        defer { try? journal?.flush() }
        let summary = try await run(nextBatch: {
            try reader.nextBatch(firstLineNumber: $0, maxLines: $1, maxBytes: Self.batchBytes)
        }, journal: journal) { result, line in
            try output.write(line)
            try scoreFile?.add(result)
        }
        try output.commit()
        return summary
    }

    /// Scores `lines` (one JSON object each), calling `output` with each result line in input order.
    public func run<Lines: AsyncSequence>(
        lines: Lines,
        journal: ScoringJournal? = nil,
        output: (Data) throws -> Void
    ) async throws -> ScoringSummary where Lines.Element == String {
        var iterator = lines.makeAsyncIterator()
        return try await run(nextBatch: { firstLine, maxLines in
            var batch = LineBatch(firstLineNumber: firstLine)
            while batch.lines.count < maxLines, batch.bytes.count < Self.batchBytes, let line = try await iterator.next() {
                batch.append(line.utf8)
            }
            return batch.lines.isEmpty ? nil : batch
        }, journal: journal) { try output($1) }
    }

    /// A batch's bytes, about (past its first line).
    static let batchBytes = 1 << 20

    // MARK: - Core

    private struct Pending {
        var seq: Int
        var result: ItemResult
        var judged: Bool
        /// The result's JSON, once encoded (for the journal), reused for the output line.
        var encoded: Data? = nil
    }

    /// `nextBatch(firstLineNumber, maxLines)` reads the input's next lines.
    private func run(
        nextBatch: (Int, Int) async throws -> LineBatch?,
        journal: ScoringJournal?,
        output: (ItemResult, Data) throws -> Void
    ) async throws -> ScoringSummary {
        let judgeSuites = configuration.judgeSuites
        if !judgeSuites.isEmpty && judge == nil { throw MissingJudge() }
        var resumable = try journal?.load() ?? [:]
        // What analysis may skip scoring: the journal's ids at the start, a superset of those still resumable.
        let journaled = Set(resumable.keys)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let clock = ContinuousClock()
        let started = clock.now
        var lastReport = started

        var nextSeq = 0
        var emitSeq = 0
        var buffer: [Int: Pending] = [:]
        var inFlight = 0
        var done = 0, failed = 0, resumed = 0, judgeCalls = 0

        func progress(finished: Bool) -> ScoringProgress {
            let elapsed = (clock.now - started).seconds
            return ScoringProgress(done: done, failed: failed, read: nextSeq, resumed: resumed, inFlight: inFlight,
                                   elapsedSeconds: elapsed, itemsPerSecond: elapsed > 0 ? Double(done) / elapsed : 0,
                                   finished: finished)
        }

        /// A result's line (without the newline): written directly when it has no judge verdicts.
        func encode(_ result: ItemResult) throws -> Data {
            try ItemResultWriter.encode(result) ?? encoder.encode(result)
        }

        /// Writes every buffered result that is next in order.
        func flush() throws {
            while let pending = buffer.removeValue(forKey: emitSeq) {
                var line = try pending.encoded ?? encode(pending.result)
                line.append(10)
                try output(pending.result, line)
                emitSeq += 1
                done += 1
                if pending.result.failed { failed += 1 }
            }
            if let onProgress, clock.now - lastReport >= progressInterval {
                lastReport = clock.now
                onProgress(progress(finished: false))
            }
        }

        /// Records a finished item: journal, then the reorder buffer.
        func finish(_ pending: Pending) throws {
            var pending = pending
            if let journal, let id = pending.result.id {
                let encoded = try pending.encoded ?? encode(pending.result)
                try journal.append(key: id, encodedResult: encoded, sync: pending.judged)
                pending.encoded = encoded
            }
            buffer[pending.seq] = pending
        }

        try await withThrowingTaskGroup(of: Pending.self) { group in
            func collectOne() async throws {
                guard let pending = try await group.next() else { return }
                inFlight -= 1
                try finish(pending)
                try flush()
            }

            // Without judge suites, lines are decoded, scored and encoded in batches spread over the cores, and the
            // next batch is analysed while this task does what is left of the current one — journal, order, output —
            // in input order. With judge suites, one line at a time.
            let pipelined = judgeSuites.isEmpty
            let batchLines = pipelined ? 512 : 1

            /// Journals, orders and writes `batch`'s analysed lines, and starts their judge calls.
            func process(_ batch: LineBatch, _ analyzed: [Analyzed]) async throws {
                for (index, entry) in analyzed.enumerated() {
                    try Task.checkCancellation()
                    let line = batch.firstLineNumber + index
                    let seq = nextSeq
                    switch prepare(entry, line: line, judgeSuites: judgeSuites, resumable: &resumable) {
                    case nil:
                        continue
                    case .done(let result):
                        buffer[seq] = Pending(seq: seq, result: result, judged: false)
                    case .resumed(let result):
                        resumed += 1
                        buffer[seq] = Pending(seq: seq, result: result, judged: false)
                    case .inline(let result, let encoded):
                        try finish(Pending(seq: seq, result: result, judged: false, encoded: encoded))
                    case .judge(let result, let item, let suites):
                        judgeCalls += suites.count
                        let judge = judge!
                        group.addTask {
                            var result = result
                            for suite in suites {
                                result.judges[suite.rawValue] = try await judge.judge(suite, input(for: suite, item))
                            }
                            result.recomputeFailures()
                            return Pending(seq: seq, result: result, judged: true)
                        }
                        inFlight += 1
                    }
                    nextSeq += 1
                    try flush()
                    while inFlight >= concurrency || (inFlight > 0 && nextSeq - emitSeq >= reorderWindow) {
                        try await collectOne()
                    }
                }
            }

            var current = try await nextBatch(1, batchLines)
            var analyzed: [Analyzed] = []
            if let first = current {
                analyzed = pipelined ? await analyze(first, journaled: journaled)
                    : analyze(first, 0..<first.lines.count, journaled: journaled)
            }
            while let batch = current {
                try Task.checkCancellation()
                let following = try await nextBatch(batch.firstLineNumber + batch.lines.count, batchLines)
                if pipelined {
                    async let analyzedFollowing = analyze(following, journaled: journaled)
                    try await process(batch, analyzed)
                    analyzed = await analyzedFollowing
                } else {
                    // A line at a time, analysed right here: a child task per line would cost more than the line,
                    // and on busy cores it delayed the next judge call.
                    try await process(batch, analyzed)
                    analyzed = following.map { analyze($0, 0..<$0.lines.count, journaled: journaled) } ?? []
                }
                current = following
            }
            while inFlight > 0 { try await collectOne() }
            try flush()
        }
        try journal?.flush()
        onProgress?(progress(finished: true))
        return ScoringSummary(items: done, failed: failed, resumed: resumed, judgeCalls: judgeCalls,
                              elapsedSeconds: (clock.now - started).seconds, configHash: configuration.hash)
    }

    /// A line decoded and — unless the journal may hold its result — scored and encoded: the part of an item's
    /// work that needs no shared state.
    private enum Analyzed: Sendable {
        /// An empty or white-space line: no item.
        case blank
        case unreadable(ItemResult)
        case item(ResponseItem, scored: ItemResult?, encoded: Data?)
    }

    private enum Prepared {
        /// Unreadable line: a failure result.
        case done(ItemResult)
        case resumed(ItemResult)
        /// Fully scored without a judge (to journal), with its line when already encoded.
        case inline(ItemResult, Data?)
        case judge(ItemResult, ResponseItem, [JudgeSuite])
    }

    /// Analyses `batch`'s lines in input order, in parallel over the cores when it is large enough to be worth it.
    /// An item whose id is `journaled` is left unscored here.
    private func analyze(_ batch: LineBatch, journaled: Set<String>) async -> [Analyzed] {
        let count = batch.lines.count
        // Several parts per core: this task's serial work shares the cores with them, and small parts let the
        // cores even out (with one part per core, the core that also writes the output finishes last).
        let parts = min(ProcessInfo.processInfo.activeProcessorCount * 4, count / 64)
        guard parts > 1 else { return analyze(batch, 0..<count, journaled: journaled) }
        let size = (count + parts - 1) / parts
        return await withTaskGroup(of: (Int, [Analyzed]).self) { group in
            for part in 0..<parts {
                group.addTask {
                    (part, analyze(batch, (part * size)..<min(count, (part + 1) * size), journaled: journaled))
                }
            }
            var chunks = [[Analyzed]](repeating: [], count: parts)
            for await (part, analyzed) in group { chunks[part] = analyzed }
            return chunks.flatMap { $0 }
        }
    }

    private func analyze(_ batch: LineBatch?, journaled: Set<String>) async -> [Analyzed] {
        guard let batch else { return [] }
        return await analyze(batch, journaled: journaled)
    }

    private func analyze(_ batch: LineBatch, _ indices: Range<Int>, journaled: Set<String>) -> [Analyzed] {
        let decoder = JSONDecoder()
        return indices.map { index in
            let line = batch.firstLineNumber + index
            switch batch.lines[index] {
            case .tooLong(let bytes):
                return .unreadable(ItemResult(line: line, error: "line \(line): longer than the line limit (\(bytes) bytes)"))
            case .bytes(let range):
                return batch.withLine(range) { analyze($0, line: line, decoder: decoder, journaled: journaled) }
            }
        }
    }

    private func analyze(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, decoder: JSONDecoder,
                         journaled: Set<String>) -> Analyzed {
        if Self.isBlank(bytes) { return .blank }
        let item: ResponseItem
        if let scanned = ResponseItemScanner.decode(bytes) {
            item = scanned
        } else {
            do {
                // Through a String, so invalid UTF-8 becomes U+FFFD as in the fast path rather than an error.
                item = try decoder.decode(ResponseItem.self, from: Data(String(decoding: bytes, as: UTF8.self).utf8))
            } catch {
                return .unreadable(ItemResult(line: line, error: "line \(line): \(Self.describe(error))"))
            }
        }
        guard !journaled.contains(item.id) else { return .item(item, scored: nil, encoded: nil) }
        let result = score(item, line: line)
        return .item(item, scored: result, encoded: ItemResultWriter.encode(result))
    }

    /// Whether a line is empty or all white space (as `Character.isWhitespace` has it), looking at its ASCII bytes
    /// only unless it has others.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            switch byte {
            case 0x09...0x0D, 0x20: continue
            case 0x80...: return String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
            default: return false
            }
        }
        return true
    }

    /// The inline suites' scores of `item`.
    private func score(_ item: ResponseItem, line: Int) -> ItemResult {
        var result = ItemResult(line: line, id: item.id, model: item.model, domain: item.domain)
        let suites = configuration.suites
        if suites.contains(.heuristic) { result.heuristic = HeuristicScorer.score(item.response) }
        if suites.contains(.exact), let answer = item.correctAnswer {
            result.standard = ExactMatch.score(response: item.response, correctAnswer: answer)
        }
        return result
    }

    /// What to do with an analysed line; nil for a blank one.
    private func prepare(_ analyzed: Analyzed, line: Int, judgeSuites: [JudgeSuite],
                         resumable: inout [String: [ItemResult]]) -> Prepared? {
        let item: ResponseItem, scored: ItemResult?, encoded: Data?
        switch analyzed {
        case .blank: return nil
        case .unreadable(let result): return .done(result)
        case .item(let value, let score, let bytes): (item, scored, encoded) = (value, score, bytes)
        }
        if var previous = resumable[item.id], !previous.isEmpty {
            // Duplicate ids: prefer the entry journaled for this line.
            var result = previous.remove(at: previous.firstIndex { $0.line == line } ?? 0)
            resumable[item.id] = previous.isEmpty ? nil : previous
            if !(retryFailedOnResume && result.failed) {
                result.line = line
                return .resumed(result)
            }
        }
        let result = scored ?? score(item, line: line)
        let applicable = judgeSuites.filter { applies($0, to: item) }
        return applicable.isEmpty ? .inline(result, scored == nil ? nil : encoded) : .judge(result, item, applicable)
    }

    /// The spec's "used when" column.
    public func applies(_ suite: JudgeSuite, to item: ResponseItem) -> Bool {
        switch suite {
        case .semantic: return true
        case .content:
            return item.domain?.lowercased() == "content" && ContentProbe.named(in: item.id, among: contentProbes) != nil
        case .capability:
            return item.domain?.lowercased() == "capability" || probeSet.probe(item.id) != nil
        case .truthfulqa: return item.bestAnswer != nil
        case .donotanswer: return item.riskArea != nil
        case .toxigen: return item.domain?.lowercased() == "toxigen"
        }
    }

    /// What `suite`'s judge is shown for `item` (reasoning blocks stripped from the response).
    public func input(for suite: JudgeSuite, _ item: ResponseItem) -> JudgeInput {
        let response = Reasoning.strip(item.response).answer
        var input = JudgeInput(prompt: item.prompt, response: response)
        switch suite {
        case .semantic, .toxigen: break
        case .content:
            if let probe = ContentProbe.named(in: item.id, among: contentProbes) {
                input = probe.judgeInput(response: response)
                input.prompt = item.prompt
            }
        case .capability: input.reference = item.correctAnswer ?? probeSet.probe(item.id)?.expected
        case .truthfulqa: input.reference = item.bestAnswer
        case .donotanswer: input.riskArea = item.riskArea
        }
        return input
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type for '\(path)': \(context.debugDescription)"
        case DecodingError.valueNotFound(_, let context):
            return "null value for '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty: return context.debugDescription
        case DecodingError.dataCorrupted: return "invalid JSON"
        default: return "\(error)"
        }
    }
}

/// Writes result lines, buffered (one `write` per ``bufferBytes``), to a temporary file beside `path`; ``commit()``
/// renames it over `path`, so `path` holds either the previous file or the whole new one. Dropped without a commit,
/// it removes the temporary.
final class ResultFileWriter {
    let path: String
    private let temporary: URL
    private let handle: FileHandle
    private var committed = false
    private var buffer: [UInt8] = []
    let bufferBytes: Int

    init(path: String, bufferBytes: Int = 256 << 10) throws {
        self.path = path
        self.bufferBytes = bufferBytes
        do {
            temporary = try AtomicFile.temporaryURL(for: URL(fileURLWithPath: path))
        } catch let error as SafeFileError {
            throw FileError(path: path, error.message, underlying: error)
        }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path)
        else { throw FileError(path: path, "cannot create '\(temporary.path)' to write it") }
        self.handle = handle
    }

    func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= bufferBytes { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try handle.write(contentsOf: buffer)
    }

    /// Writes what is buffered, closes the file and renames it into place.
    func commit() throws {
        try flush()
        try handle.close()
        do {
            try AtomicFile.commit(temporary, to: URL(fileURLWithPath: path))
        } catch let error as SafeFileError {
            throw FileError(path: path, error.message, underlying: error)
        }
        committed = true
    }

    deinit {
        if !committed {
            try? handle.close()
            unlink(temporary.path)
        }
    }
}

extension ScoringEngine {
    /// Scores items held in memory (a probe run's answers, say) and returns their results in order.
    public func score(_ items: [ResponseItem]) async throws -> (results: [ItemResult], summary: ScoringSummary) {
        let encoder = JSONEncoder()
        let lines = try items.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let stream = AsyncStream<String> { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
        let decoder = JSONDecoder()
        var results: [ItemResult] = []
        results.reserveCapacity(items.count)
        let summary = try await run(lines: stream) { data in results.append(try decoder.decode(ItemResult.self, from: data)) }
        return (results, summary)
    }
}
