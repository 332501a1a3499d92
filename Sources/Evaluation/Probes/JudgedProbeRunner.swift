import Foundation

/// Asks capability probes and has each answer judged (capability suite) as soon as it arrives, with probe answers
/// and judge calls in flight together up to ``slots`` — what the server decodes in one batch — instead of asking
/// every probe first and judging afterwards, which leaves slots idle at the tail of each phase.
///
/// Judge calls go first when a slot frees (finished work before new work), the longest answer waiting first. With ``phased`` every probe is asked
/// before the first judge call: for a judge on the probes' own server with the adapter switched off, because
/// llama-server batches only requests with equal adapter settings — mixed, each kind waits for the other's step.
/// Each probe result is reported through
/// `onResult` as it completes; the report lists results in probe-set order, and the verdicts are exactly what
/// ``ScoringEngine`` gives for the same items (the rules they share, ``JudgeApplicability``), so what is recorded
/// does not depend on the order things finished in.
public struct JudgedProbeRunner: Sendable {
    public var probes: ProbeRunner
    public var judge: Judge
    /// Generations (probe answers and judge calls) in flight at most.
    public var slots: Int
    /// Whether an answer that failed (`ERROR: …`) is judged too, as ``ScoringEngine`` judges every item it is given.
    public var judgesFailedAnswers: Bool
    /// Whether judge calls wait until every probe is answered (two uniform phases) instead of starting as soon as
    /// an answer arrives.
    public var phased: Bool
    /// How long each probe's answer was the last time it was asked (UTF-8 bytes; ``ProbeAnswerLengths``): probes
    /// are then asked longest first, those without a length before all, and in probe-set order among equals.
    /// Why: answers of 6 and of 512 tokens share the slots; the longest started last decodes alone at the tail of
    /// the phase, one sequence per step, while the others wait. Longest first keeps the slots full.
    public var expectedAnswerBytes: [String: Int]

    public init(probes: ProbeRunner, judge: Judge, slots: Int, judgesFailedAnswers: Bool = false,
                phased: Bool = false, expectedAnswerBytes: [String: Int] = [:]) {
        self.probes = probes
        self.judge = judge
        self.slots = max(1, slots)
        self.judgesFailedAnswers = judgesFailedAnswers
        self.phased = phased
        self.expectedAnswerBytes = expectedAnswerBytes
    }

    /// The order probes are asked in: longest expected answer first (unknown lengths count as longest).
    public func askingOrder(_ set: ProbeSet) -> [Probe] {
        set.probes.enumerated().sorted { left, right in
            let (a, b) = (expectedAnswerBytes[left.element.id] ?? .max, expectedAnswerBytes[right.element.id] ?? .max)
            return a != b ? a > b : left.offset < right.offset
        }.map(\.element)
    }

    public struct Outcome: Sendable {
        public var report: ProbeReport
        /// The capability verdict of every answered probe (of a failed one only with ``judgesFailedAnswers``).
        public var judged: [String: JudgeVerdict]
    }

    private enum Finished: Sendable {
        case answered(ProbeResult)
        case judged(id: String, JudgeVerdict)
    }

    /// Runs every probe of `set`, the answers attributed to `model` for the judge.
    public func run(_ set: ProbeSet, model: String,
                    onResult: @escaping @Sendable (ProbeResult) async -> Void = { _ in }) async throws -> Outcome {
        let applicability = JudgeApplicability(probeSet: set)
        var answered: [String: ProbeResult] = [:]
        var judged: [String: JudgeVerdict] = [:]
        try await withThrowingTaskGroup(of: Finished.self) { group in
            let order = askingOrder(set)
            var nextProbe = order.startIndex
            var toJudge: [ResponseItem] = []
            var inFlight = 0
            var probesInFlight = 0
            while true {
                while inFlight < slots {
                    let probesDone = nextProbe == order.endIndex && probesInFlight == 0
                    // The longest answer waiting first: its prompt takes longest to read, and started last it would
                    // finish alone (the answers that arrived first among equals).
                    if !phased || probesDone, let longest = toJudge.indices.max(by: { toJudge[$0].response.utf8.count < toJudge[$1].response.utf8.count
                        || (toJudge[$0].response.utf8.count == toJudge[$1].response.utf8.count && $0 > $1) }) {
                        let item = toJudge.remove(at: longest)
                        let judge = self.judge
                        group.addTask {
                            .judged(id: item.id, try await judge.judge(.capability, applicability.input(for: .capability, item)))
                        }
                    } else if nextProbe < order.endIndex {
                        let probe = order[nextProbe]
                        nextProbe += 1
                        let probes = self.probes
                        group.addTask { .answered(try await probes.ask(probe)) }
                        probesInFlight += 1
                    } else {
                        break
                    }
                    inFlight += 1
                }
                guard inFlight > 0, let finished = try await group.next() else { break }
                inFlight -= 1
                switch finished {
                case .answered(let result):
                    probesInFlight -= 1
                    answered[result.id] = result
                    await onResult(result)
                    guard result.error == nil || judgesFailedAnswers else { break }
                    let item = ProbeReport(results: [result]).responseItems(model: model, set: set)[0]
                    if applicability.applies(.capability, to: item) {
                        toJudge.append(item)
                    } else {
                        judged[result.id] = .unscored(reason: "", raw: "")
                    }
                case .judged(let id, let verdict):
                    judged[id] = verdict
                }
            }
        }
        return Outcome(report: ProbeReport(results: set.probes.compactMap { answered[$0.id] }), judged: judged)
    }
}
