/// Brings buffered line-protocol lines written before the measurements followed the reference
/// (`shared/spec/recording.md`) into today's shape before they are replayed, so that no point lands in a
/// reference database with the wrong field type or at the wrong instant:
///
/// - A line of ours is recognised as old by its timestamp: the old base epoch (2025-01-01, ``oldBaseEpochSeconds``)
///   + its `iteration` field × 1000 + an offset below 1000.
/// - `capability_score` keeps its offset and moves to the reference's base.
/// - `probe_score` gets `passed` as the integer 1/0 and the reference's offset 100 + 1-based position.
/// - `capability_judge` without a `probe_id` (one averaged point per checkpoint) and `content_score` without
///   `has_kernel` (one mean per dimension) cannot become the reference's per-probe points: they are dropped,
///   and the caller logs it. The store keeps those scores.
///
/// Every other line (other measurements, lines already in today's shape) is kept as it is.
public enum LegacyPointUpgrade {
    /// The base epoch of the old timestamps: 2025-01-01T00:00:00Z.
    public static let oldBaseEpochSeconds: Int64 = 1_735_689_600

    /// What becomes of one line.
    public enum Outcome: Sendable, Hashable {
        case unchanged
        case converted(String)
        case dropped(reason: String)
    }

    /// The upgraded lines and what was dropped (with reasons) or converted.
    public struct Result: Sendable, Hashable {
        public var lines: [String] = []
        public var converted = 0
        public var dropped: [String] = []
    }

    /// Upgrades every line of a batch.
    public static func upgrade(_ lines: [String]) -> Result {
        var result = Result()
        for line in lines {
            switch upgrade(line) {
            case .unchanged: result.lines.append(line)
            case .converted(let upgraded):
                result.lines.append(upgraded)
                result.converted += 1
            case .dropped(let reason): result.dropped.append(reason)
            }
        }
        return result
    }

    /// Upgrades one line.
    public static func upgrade(_ line: String) -> Outcome {
        guard let point = parse(line), ["capability_score", "probe_score", "capability_judge", "content_score"]
            .contains(point.measurement),
            let timestamp = point.timestamp,
            let iterationField = point.fields.first(where: { $0.key == "iteration" }),
            case .integer(let iteration) = iterationField.value, iteration >= 0
        else { return .unchanged }
        let seconds = timestamp / 1_000_000_000
        let (step, overflow) = iteration.multipliedReportingOverflow(by: CheckpointRecords.iterationStepSeconds)
        guard !overflow else { return .unchanged }
        let offset = seconds - oldBaseEpochSeconds - step
        guard offset >= 0, offset < CheckpointRecords.iterationStepSeconds, timestamp % 1_000_000_000 == 0 else {
            return .unchanged
        }
        var upgraded = point
        switch point.measurement {
        case "capability_score":
            upgraded.tagOrder = ["model", "run_id", "label", "category"]
            upgraded.timestamp = try? CheckpointRecords.timestamp(iteration: Int(iteration), offset: Int(offset))
        case "probe_score":
            upgraded.tagOrder = ["model", "run_id", "label", "probe_id"]
            upgraded.fields = point.fields.map { field in
                guard field.key == "passed", case .boolean(let passed) = field.value else { return field }
                return InfluxField("passed", .integer(passed ? 1 : 0))
            }
            upgraded.timestamp = try? CheckpointRecords.timestamp(iteration: Int(iteration), offset: 100 + Int(offset) + 1)
        case "capability_judge" where point.tags["probe_id"] == nil:
            return .dropped(
                reason: "capability_judge of \(point.tags["label"] ?? "?"): one averaged point per checkpoint, "
                    + "not the reference's one point per judged probe")
        case "content_score" where point.tags["has_kernel"] == nil:
            return .dropped(
                reason: "content_score of \(point.tags["label"] ?? "?") dimension \(point.tags["dimension"] ?? "?"): "
                    + "a mean per dimension, not the reference's one point per probe × dimension")
        default:
            return .unchanged
        }
        guard upgraded.timestamp != nil, let encoded = try? LineProtocol.encode(upgraded) else {
            return .dropped(reason: "\(point.measurement) at iteration \(iteration): cannot be re-encoded")
        }
        return .converted(encoded)
    }

    // MARK: - Parsing (the subset of line protocol that ``LineProtocol`` writes)

    /// Parses `measurement,tag=v field=1i,other="s" 123`; nil for anything it does not understand.
    static func parse(_ line: String) -> InfluxPoint? {
        var scalars = Array(line.unicodeScalars)[...]
        func token(until stops: Set<Unicode.Scalar>, quotes: Bool = false) -> String {
            var text = String.UnicodeScalarView()
            var quoted = false
            while let scalar = scalars.first {
                if !quoted, stops.contains(scalar) { break }
                scalars.removeFirst()
                if scalar == "\\", let next = scalars.first {
                    if quotes && !quoted { text.append(scalar) }
                    scalars.removeFirst()
                    if quotes && quoted && next != "\"" && next != "\\" { text.append(scalar) }
                    text.append(next)
                    continue
                }
                if quotes, scalar == "\"" { quoted.toggle() }
                text.append(scalar)
            }
            return String(text)
        }
        let measurement = token(until: [",", " "])
        guard !measurement.isEmpty else { return nil }
        var tags: [String: String] = [:]
        while scalars.first == "," {
            scalars.removeFirst()
            let key = token(until: ["="])
            guard scalars.first == "=" else { return nil }
            scalars.removeFirst()
            tags[key] = token(until: [",", " "])
        }
        guard scalars.first == " " else { return nil }
        scalars.removeFirst()
        var fields: [InfluxField] = []
        repeat {
            if scalars.first == "," { scalars.removeFirst() }
            let key = token(until: ["="])
            guard scalars.first == "=" else { return nil }
            scalars.removeFirst()
            let raw = token(until: [",", " "], quotes: true)
            guard let value = fieldValue(raw) else { return nil }
            fields.append(InfluxField(key, value))
        } while scalars.first == ","
        var timestamp: Int64?
        if scalars.first == " " {
            scalars.removeFirst()
            guard let value = Int64(String(String.UnicodeScalarView(scalars))) else { return nil }
            timestamp = value
        }
        return InfluxPoint(measurement: measurement, tags: tags, fields: fields, timestamp: timestamp)
    }

    private static func fieldValue(_ raw: String) -> InfluxFieldValue? {
        if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 {
            return .string(String(raw.dropFirst().dropLast()))
        }
        switch raw {
        case "t", "T", "true", "True", "TRUE": return .boolean(true)
        case "f", "F", "false", "False", "FALSE": return .boolean(false)
        default: break
        }
        if raw.hasSuffix("i"), let value = Int64(raw.dropLast()) { return .integer(value) }
        if let value = Double(raw) { return .float(value) }
        return nil
    }
}
