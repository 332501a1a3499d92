import MLErrors

/// InfluxDB line protocol encoding (`measurement,tag=v field=1i,other="s" 1735689600000000000`).
///
/// Escaping follows InfluxDB's rules: the measurement escapes comma and space; tag keys, tag values and field
/// keys escape comma, equals sign and space; string field values escape `"` and `\`. Names and tag values may
/// not contain newlines (they would end the line), nor end in a backslash: InfluxDB reads a backslash before a
/// separator as its escape and has no escape for the backslash itself there (`\\` is read as two backslashes,
/// and still escapes what follows), so such a point is refused here rather than failing its whole batch there.
public enum LineProtocol {
    /// One point as one line (no trailing newline).
    public static func encode(_ point: InfluxPoint) throws -> String {
        guard !point.measurement.isEmpty else { throw invalid("the measurement name is empty") }
        try rejectNewline(point.measurement, "the measurement name")
        try rejectTrailingBackslash(point.measurement, "the measurement name")
        guard !point.fields.isEmpty else { throw invalid("point '\(InputExcerpt.of(point.measurement))' has no fields") }

        var line = escape(point.measurement, escaping: measurementSpecials)
        for (key, value) in point.orderedTags {
            guard !key.isEmpty else { throw invalid("point '\(InputExcerpt.of(point.measurement))' has a tag with an empty key") }
            try rejectNewline(key, "tag key '\(InputExcerpt.of(key))'")
            try rejectNewline(value, "the value of tag '\(InputExcerpt.of(key))'")
            try rejectTrailingBackslash(key, "tag key '\(InputExcerpt.of(key))'")
            try rejectTrailingBackslash(value, "the value of tag '\(InputExcerpt.of(key))'")
            if value.isEmpty { continue }  // InfluxDB does not store empty tag values
            line += "," + escape(key, escaping: keySpecials) + "=" + escape(value, escaping: keySpecials)
        }
        var separator = " "
        for field in point.fields {
            guard !field.key.isEmpty else {
                throw invalid("point '\(InputExcerpt.of(point.measurement))' has a field with an empty key")
            }
            try rejectNewline(field.key, "field key '\(InputExcerpt.of(field.key))'")
            try rejectTrailingBackslash(field.key, "field key '\(InputExcerpt.of(field.key))'")
            line +=
                separator + escape(field.key, escaping: keySpecials) + "=" + (try encode(field.value, key: field.key))
            separator = ","
        }
        if let timestamp = point.timestamp { line += " \(timestamp)" }
        return line
    }

    /// Points as lines joined with `\n` (no trailing newline).
    public static func encode(_ points: [InfluxPoint]) throws -> String {
        try lines(points).joined(separator: "\n")
    }

    /// Points as lines, one per point.
    public static func lines(_ points: [InfluxPoint]) throws -> [String] {
        try points.map(encode)
    }

    /// A field value in line protocol: `42i`, shortest round-trip float, `true`/`false`, or a quoted string.
    public static func encode(_ value: InfluxFieldValue, key: String = "") throws -> String {
        switch value {
        case .integer(let value):
            return "\(value)i"
        case .float(let value):
            guard value.isFinite else {
                throw invalid("field '\(InputExcerpt.of(key))' is \(value); InfluxDB accepts only finite floats")
            }
            // Swift's description is the shortest decimal that round-trips (exponent form for very large or
            // small magnitudes, which InfluxDB parses).
            return "\(value)"
        case .boolean(let value):
            return value ? "true" : "false"
        case .string(let value):
            var quoted = "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(character)
            }
            return quoted + "\""
        }
    }

    static let measurementSpecials: Set<Unicode.Scalar> = [",", " "]
    static let keySpecials: Set<Unicode.Scalar> = [",", "=", " "]

    static func escape(_ text: String, escaping specials: Set<Unicode.Scalar>) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if specials.contains(scalar) { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func rejectNewline(_ text: String, _ what: String) throws {
        if text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw invalid("\(what) contains a newline")
        }
    }

    private static func rejectTrailingBackslash(_ text: String, _ what: String) throws {
        if text.unicodeScalars.last == "\\" {
            throw invalid(
                "\(what) ends in a backslash, which InfluxDB's line protocol cannot carry (it would escape the separator after it)")
        }
    }

    private static func invalid(_ message: String) -> RecordingError {
        RecordingError(.invalidPoint, message)
    }
}
