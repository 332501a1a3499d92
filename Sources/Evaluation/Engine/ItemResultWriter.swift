import Foundation
import Scoring

/// The fast path of writing a result line: the exact bytes `JSONEncoder` (sorted keys, unescaped slashes) gives for an
/// ``ItemResult`` without judge verdicts, written directly.
///
/// Why: encoding through `JSONEncoder` costs more per item than the heuristic scorer. Results with judge verdicts
/// (whose values are open-ended JSON) return `nil` and are encoded by `JSONEncoder`; tests hold the two to the same
/// bytes.
enum ItemResultWriter {
    static func encode(_ result: ItemResult) -> Data? {
        guard result.judges.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(512)
        // Keys in sorted order: domain, error, failures, heuristic, id, judges, line, model, standard.
        out.append(UInt8(ascii: "{"))
        if let domain = result.domain {
            key("domain", &out)
            string(domain, &out)
            out.append(UInt8(ascii: ","))
        }
        if let error = result.error {
            key("error", &out)
            string(error, &out)
            out.append(UInt8(ascii: ","))
        }
        key("failures", &out)
        out.append(UInt8(ascii: "["))
        for (index, failure) in result.failures.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(failure, &out)
        }
        out.append(contentsOf: "],".utf8)
        if let h = result.heuristic {
            key("heuristic", &out)
            out.append(UInt8(ascii: "{"))
            field("compliance_markers", h.complianceMarkers, &out)
            field("creative_form", h.creativeForm, &out)
            field("degeneration", h.degeneration, &out)
            field("emotional_register", h.emotionalRegister, &out)
            field("empty_broken", h.emptyBroken, &out)
            field("engagement_depth", h.engagementDepth, &out)
            field("first_person", h.firstPerson, &out)
            field("formulaic_preamble", h.formulaicPreamble, &out)
            key("lek_score", &out)
            guard number(h.lekScore, &out) else { return nil }
            out.append(contentsOf: "},".utf8)
        }
        if let id = result.id {
            key("id", &out)
            string(id, &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""judges":{},"#.utf8)
        field("line", result.line, &out, comma: false)
        if let model = result.model {
            out.append(UInt8(ascii: ","))
            key("model", &out)
            string(model, &out)
        }
        if let standard = result.standard {
            out.append(UInt8(ascii: ","))
            key("standard", &out)
            out.append(contentsOf: (standard.correct ? #"{"correct":true,"# : #"{"correct":false,"#).utf8)
            key("expected", &out)
            string(standard.expected, &out)
            out.append(UInt8(ascii: ","))
            key("extracted", &out)
            string(standard.extracted, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    private static func key(_ name: StaticString, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: #"":"#.utf8)
    }

    private static func field(_ name: StaticString, _ value: Int, _ out: inout [UInt8], comma: Bool = true) {
        key(name, &out)
        out.append(contentsOf: String(value).utf8)
        if comma { out.append(UInt8(ascii: ",")) }
    }

    /// `JSONEncoder`'s form of a double: its `description` without a trailing `.0`. Non-finite values are
    /// `JSONEncoder`'s business (it throws).
    static func number(_ value: Double, _ out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
        return true
    }

    /// A JSON string as `JSONEncoder` writes it: `"` and `\` escaped, control characters as `\b \t \n \f \r` or
    /// `\u00XX`, everything else (`/` included) as is.
    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
