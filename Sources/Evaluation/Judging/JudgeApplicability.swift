/// Which judge suites apply to an item (the spec's "used when" column) and what each suite's judge is shown for it.
/// Pure rules, no I/O: the scoring engine and ``JudgedProbeRunner`` share them, so a probe run's verdicts are the
/// engine's for the same items.
public struct JudgeApplicability: Sendable {
    /// The probes capability items may refer to by id (their expected answers are the judge's reference).
    public var probeSet: ProbeSet
    /// The content probes content items are named after.
    public var contentProbes: [ContentProbe]

    public init(probeSet: ProbeSet = .builtIn, contentProbes: [ContentProbe] = ContentProbe.builtIn) {
        self.probeSet = probeSet
        self.contentProbes = contentProbes
    }

    /// Whether `suite` judges `item`.
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

    /// Those of `suites` that judge `item`, in the order given.
    public func applicable(_ suites: [JudgeSuite], to item: ResponseItem) -> [JudgeSuite] {
        suites.filter { applies($0, to: item) }
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
}
