import Foundation
import JSONValues

/// A probe-result file read back (the reference shape ``ProbeReport/encodeReferenceJSON(pretty:)`` writes:
/// `{"accuracy", "correct", "total", "by_category", "probes": {id: {"passed", "response"}}}`).
///
/// The shape carries no per-probe category: categories come from `probeSet` (the built-in set by default), and a
/// probe it does not know gets ``unknownCategory``.
public struct ProbeResultFile: Sendable, Hashable {
    public static let unknownCategory = "other"

    /// Accuracy as stored (percent in current files, a fraction 0…1 in older ones); the report does not use it.
    public var accuracy: Double?
    public var correct: Int?
    public var total: Int?
    /// Results in probe-set order, then unknown probes by ID.
    public var results: [ProbeResult]
    /// The per-probe pass counts of a file written by `ml probe --samples K` (its `samples` and each probe's
    /// `samples_passed`), in the order of ``results``; `nil` for a file of one sample.
    public var samples: ProbeSamples?

    public init(data: Data, probeSet: ProbeSet = .builtIn) throws {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw EvaluationError(.invalidProbeResultFile, "not JSON: \(error)")
        }
        guard case .object(let object) = root else { throw EvaluationError(.invalidProbeResultFile, "not a JSON object") }
        guard case .object(let probes)? = object["probes"] else {
            throw EvaluationError(.invalidProbeResultFile, "no \"probes\" object")
        }
        func number(_ key: String) -> Double? { if case .number(let n)? = object[key] { n } else { nil } }
        accuracy = number("accuracy")
        correct = number("correct").map { Int($0) }
        total = number("total").map { Int($0) }
        let categories = Dictionary(probeSet.probes.map { ($0.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        let order = Dictionary(probeSet.probes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [ProbeResult] = []
        var passedSamples: [String: Int] = [:]
        for (id, value) in probes {
            guard case .object(let entry) = value, case .bool(let passed)? = entry["passed"] else {
                throw EvaluationError(.invalidProbeResultFile, "probe \"\(id)\": no boolean \"passed\" field")
            }
            var response = ""
            if case .string(let text)? = entry["response"] { response = text }
            if case .number(let count)? = entry["samples_passed"] { passedSamples[id] = Int(count) }
            results.append(ProbeResult(id: id, category: categories[id] ?? Self.unknownCategory, passed: passed,
                                       response: response))
        }
        self.results = results.sorted { a, b in
            switch (order[a.id], order[b.id]) {
            case let (x?, y?): x < y
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a.id < b.id
            }
        }
        if let count = number("samples").map({ Int($0) }), count > 1 {
            let tallies = try self.results.map { result in
                guard let passed = passedSamples[result.id], (0...count).contains(passed) else {
                    throw EvaluationError(.invalidProbeResultFile, "probe \"\(result.id)\": \"samples_passed\" missing or not 0…\(count)")
                }
                return ProbeSamples.Tally(id: result.id, category: result.category, passed: passed, samples: count)
            }
            samples = ProbeSamples(count: count, probes: tallies)
        }
    }

    public init(path: String, probeSet: ProbeSet = .builtIn) throws {
        try self.init(data: Data(contentsOf: URL(fileURLWithPath: path)), probeSet: probeSet)
    }
}
