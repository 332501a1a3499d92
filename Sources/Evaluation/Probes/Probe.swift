import Foundation

/// One capability probe: a question, its expected answer and a deterministic check.
public struct Probe: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var category: String
    public var prompt: String
    /// The expected answer, for people and for the capability judge.
    public var expected: String
    public var check: ProbeCheck

    public init(id: String, category: String, prompt: String, expected: String, check: ProbeCheck) {
        self.id = id
        self.category = category
        self.prompt = prompt
        self.expected = expected
        self.check = check
    }

    /// Checks a raw response: reasoning blocks are stripped first; an answer left inside an unclosed `<think>` is
    /// incomplete and does not pass.
    public func evaluate(_ response: String) -> (passed: Bool, incomplete: Bool, answer: String) {
        let (answer, incomplete) = Reasoning.strip(response)
        if incomplete { return (false, true, answer) }
        return (check.passes(answer), false, answer)
    }
}

/// A set of probes, as data. A file in this schema replaces (`"mode": "replace"`) or extends (`"extend"`, the
/// default) the built-in set; when extending, a probe whose id is already in the base replaces that probe.
public struct ProbeSet: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable { case replace, extend }

    public var mode: Mode?
    public var probes: [Probe]

    public init(mode: Mode? = nil, probes: [Probe]) {
        self.mode = mode
        self.probes = probes
    }

    /// Throws an ``EvaluationError`` (``EvaluationErrorCode/invalidProbeSet``) listing every problem: duplicate
    /// ids, empty fields, unusable checks.
    public func validate() throws {
        var problems: [String] = []
        var seen = Set<String>()
        for probe in probes {
            if probe.id.isEmpty { problems.append("a probe has an empty id") }
            if !seen.insert(probe.id).inserted { problems.append("duplicate probe id '\(probe.id)'") }
            if probe.prompt.isEmpty { problems.append("probe '\(probe.id)' has an empty prompt") }
            if probe.category.isEmpty { problems.append("probe '\(probe.id)' has an empty category") }
            problems += probe.check.problems().map { "probe '\(probe.id)': \($0)" }
        }
        if !problems.isEmpty {
            throw EvaluationError(.invalidProbeSet, "invalid probe set: " + problems.joined(separator: "; "))
        }
    }

    /// This set applied over `base` according to ``mode``.
    public func applied(over base: ProbeSet = .builtIn) -> ProbeSet {
        if mode == .replace { return ProbeSet(mode: .replace, probes: probes) }
        var merged = base.probes
        var index = Dictionary(merged.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for probe in probes {
            if let at = index[probe.id] {
                merged[at] = probe
            } else {
                index[probe.id] = merged.count
                merged.append(probe)
            }
        }
        return ProbeSet(mode: .replace, probes: merged)
    }

    /// Decodes a probe-set file and applies it over `base`; the result is validated.
    public static func load(json data: Data, over base: ProbeSet = .builtIn) throws -> ProbeSet {
        let set = try JSONDecoder().decode(ProbeSet.self, from: data)
        let applied = set.applied(over: base)
        try applied.validate()
        return applied
    }

    /// Loads a probe-set file from `path` (see ``load(json:over:)``).
    public static func load(path: String, over base: ProbeSet = .builtIn) throws -> ProbeSet {
        try load(json: try Data(contentsOf: URL(fileURLWithPath: path)), over: base)
    }

    /// The set as pretty, key-sorted JSON (the file schema).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Categories in first-appearance order.
    public var categories: [String] {
        var seen = Set<String>()
        return probes.map(\.category).filter { seen.insert($0).inserted }
    }

    /// Probe by id.
    public func probe(_ id: String) -> Probe? { probes.first { $0.id == id } }
}
