import Foundation
import Scoring

/// The exact bytes `JSONEncoder` (sorted keys, unescaped slashes) gives for ``ScoreFile/entry(_:)`` of a result
/// without judge verdicts, written directly (the `per_prompt` counterpart of ``ItemResultWriter``); tests hold the
/// two to the same bytes. Returns `false`, having written nothing, for results it leaves to `JSONEncoder`.
enum ScoreFileEntryWriter {
    static func write(_ result: ItemResult, into out: inout [UInt8]) -> Bool {
        guard result.judges.isEmpty else { return false }
        if let h = result.heuristic, !h.lekScore.isFinite { return false }
        // Keys in sorted order: failures, heuristic, id, model, standard.
        out.append(UInt8(ascii: "{"))
        if !result.failures.isEmpty {
            out.append(contentsOf: #""failures":["#.utf8)
            for (index, failure) in result.failures.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                ItemResultWriter.string(failure, &out)
            }
            out.append(contentsOf: "],".utf8)
        }
        if let h = result.heuristic {
            out.append(contentsOf: #""heuristic":{"compliance_markers":"#.utf8)
            number(Double(h.complianceMarkers), &out)
            out.append(contentsOf: #","creative_form":"#.utf8)
            number(Double(h.creativeForm), &out)
            out.append(contentsOf: #","degeneration":"#.utf8)
            number(Double(h.degeneration), &out)
            out.append(contentsOf: #","emotional_register":"#.utf8)
            number(Double(h.emotionalRegister), &out)
            out.append(contentsOf: #","empty_broken":"#.utf8)
            number(Double(h.emptyBroken), &out)
            out.append(contentsOf: #","engagement_depth":"#.utf8)
            number(Double(h.engagementDepth), &out)
            out.append(contentsOf: #","first_person":"#.utf8)
            number(Double(h.firstPerson), &out)
            out.append(contentsOf: #","formulaic_preamble":"#.utf8)
            number(Double(h.formulaicPreamble), &out)
            out.append(contentsOf: #","lek_score":"#.utf8)
            number(h.lekScore, &out)
            out.append(contentsOf: "},".utf8)
        }
        out.append(contentsOf: #""id":"#.utf8)
        ItemResultWriter.string(result.id ?? "", &out)
        out.append(contentsOf: #","model":"#.utf8)
        ItemResultWriter.string(result.model ?? "", &out)
        if let standard = result.standard {
            out.append(contentsOf: (standard.correct ? #","standard":{"correct":true,"# : #","standard":{"correct":false,"#).utf8)
            out.append(contentsOf: #""expected":"#.utf8)
            ItemResultWriter.string(standard.expected, &out)
            out.append(contentsOf: #","extracted":"#.utf8)
            ItemResultWriter.string(standard.extracted, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// A number as ``JSONValue`` encodes it: whole values below 1e15 as integers, others as `JSONEncoder`'s double.
    private static func number(_ value: Double, _ out: inout [UInt8]) {
        if value.rounded() == value, abs(value) < 1e15 {
            out.append(contentsOf: String(Int64(value)).utf8)
        } else {
            _ = ItemResultWriter.number(value, &out)
        }
    }
}
