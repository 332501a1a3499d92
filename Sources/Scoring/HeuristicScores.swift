/// The eight heuristic sub-scores of one response and their LEK composite.
public struct HeuristicScores: Sendable, Equatable, Codable {
    /// Matches of the 14 compliance phrases (`as an ai`, `i cannot`, …), each counted on its own.
    public var complianceMarkers: Int
    /// 1 when the trimmed text opens with a formulaic preamble (`Okay, let's`, …), else 0.
    public var formulaicPreamble: Int
    /// Sentences starting with `I ` or containing `I` + an agency verb.
    public var firstPerson: Int
    /// Poetry shape (+2), narrative opening (+1) and metaphors (capped at 3).
    public var creativeForm: Int
    /// Headings/bold, ethical framing, technical depth and length.
    public var engagementDepth: Int
    /// Emotional vocabulary, capped at 10.
    public var emotionalRegister: Int
    /// Sentence repetition: 0, 1, 3, 5, or 10 when there is no sentence.
    public var degeneration: Int
    /// 1 for short, `ERROR`, `<pad>` or `<unused` responses, else 0.
    public var emptyBroken: Int
    /// `2·engagement + 3·creative + 2·emotional + 1.5·firstPerson − 5·compliance
    /// − 3·formulaic − 4·degeneration − 20·emptyBroken`.
    public var lekScore: Double

    /// Sub-scores with `lekScore` computed from them.
    public init(
        complianceMarkers: Int, formulaicPreamble: Int, firstPerson: Int, creativeForm: Int,
        engagementDepth: Int, emotionalRegister: Int, degeneration: Int, emptyBroken: Int
    ) {
        self.complianceMarkers = complianceMarkers
        self.formulaicPreamble = formulaicPreamble
        self.firstPerson = firstPerson
        self.creativeForm = creativeForm
        self.engagementDepth = engagementDepth
        self.emotionalRegister = emotionalRegister
        self.degeneration = degeneration
        self.emptyBroken = emptyBroken
        self.lekScore = Self.lek(
            complianceMarkers: complianceMarkers, formulaicPreamble: formulaicPreamble,
            firstPerson: firstPerson, creativeForm: creativeForm, engagementDepth: engagementDepth,
            emotionalRegister: emotionalRegister, degeneration: degeneration, emptyBroken: emptyBroken)
    }

    /// The LEK composite of the given sub-scores (same operation order as the reference).
    public static func lek(
        complianceMarkers: Int, formulaicPreamble: Int, firstPerson: Int, creativeForm: Int,
        engagementDepth: Int, emotionalRegister: Int, degeneration: Int, emptyBroken: Int
    ) -> Double {
        var score = Double(engagementDepth) * 2
        score += Double(creativeForm) * 3
        score += Double(emotionalRegister) * 2
        score += Double(firstPerson) * 1.5
        score -= Double(complianceMarkers) * 5
        score -= Double(formulaicPreamble) * 3
        score -= Double(degeneration) * 4
        score -= Double(emptyBroken) * 20
        return score
    }

    enum CodingKeys: String, CodingKey {
        case complianceMarkers = "compliance_markers"
        case formulaicPreamble = "formulaic_preamble"
        case firstPerson = "first_person"
        case creativeForm = "creative_form"
        case engagementDepth = "engagement_depth"
        case emotionalRegister = "emotional_register"
        case degeneration
        case emptyBroken = "empty_broken"
        case lekScore = "lek_score"
    }
}
