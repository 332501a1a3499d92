import Foundation
import Scoring

/// An input line decoded and — unless the journal may hold its result — scored and encoded: the part of an item's
/// work that needs no shared state.
enum AnalyzedLine: Sendable {
    /// An empty or white-space line: no item.
    case blank
    /// A line that is not an item: its failure result.
    case unreadable(ItemResult)
    /// An item; `scored` is nil when its id was journaled (a resumed run may reuse the result instead).
    case item(ResponseItem, scored: ItemResult?, encoded: Data?)
}

/// Input the engine reads in batches: lines of a file or stream (``LineBatch``), or items held in memory
/// (``ItemBatch``).
protocol ScoringInput: Sendable {
    /// The input line number of the batch's first element (1-based).
    var firstLineNumber: Int { get }
    var count: Int { get }
    /// The elements at `indices`, analysed in order.
    func analyze(_ indices: Range<Int>, with analyzer: ItemAnalyzer, journaled: Set<String>) -> [AnalyzedLine]
}

/// Items held in memory, numbered as the lines of an input would be.
struct ItemBatch: ScoringInput {
    var firstLineNumber: Int
    var items: ArraySlice<ResponseItem>

    var count: Int { items.count }

    func analyze(_ indices: Range<Int>, with analyzer: ItemAnalyzer, journaled: Set<String>) -> [AnalyzedLine] {
        indices.map { index in
            let item = items[items.startIndex + index]
            guard !journaled.contains(item.id) else { return .item(item, scored: nil, encoded: nil) }
            // Encoded later only if written: in-memory results usually are not.
            return .item(item, scored: analyzer.score(item, line: firstLineNumber + index), encoded: nil)
        }
    }
}

extension LineBatch: ScoringInput {
    var count: Int { lines.count }

    func analyze(_ indices: Range<Int>, with analyzer: ItemAnalyzer, journaled: Set<String>) -> [AnalyzedLine] {
        let decoder = JSONDecoder()
        return indices.map { index in
            let line = firstLineNumber + index
            switch lines[index] {
            case .tooLong(let bytes):
                return .unreadable(ItemResult(line: line, error: "line \(line): longer than the line limit (\(bytes) bytes)"))
            case .bytes(let range):
                return withLine(range) { analyzer.analyze($0, line: line, decoder: decoder, journaled: journaled) }
            }
        }
    }
}

/// Decodes lines and scores the inline suites (heuristic, exact): pure work, spread over the cores.
struct ItemAnalyzer: Sendable {
    var suites: [ScoringSuite]

    /// Analyses `batch` in input order, in parallel over the cores when it is large enough to be worth it.
    func analyze(_ batch: some ScoringInput, journaled: Set<String>) async -> [AnalyzedLine] {
        let count = batch.count
        // Several parts per core: this task's serial work shares the cores with them, and small parts let the
        // cores even out (with one part per core, the core that also writes the output finishes last).
        let parts = min(ProcessInfo.processInfo.activeProcessorCount * 4, count / 64)
        guard parts > 1 else { return batch.analyze(0..<count, with: self, journaled: journaled) }
        let size = (count + parts - 1) / parts
        return await withTaskGroup(of: (Int, [AnalyzedLine]).self) { group in
            for part in 0..<parts {
                group.addTask {
                    (part, batch.analyze((part * size)..<min(count, (part + 1) * size), with: self, journaled: journaled))
                }
            }
            var chunks = [[AnalyzedLine]](repeating: [], count: parts)
            for await (part, analyzed) in group { chunks[part] = analyzed }
            return chunks.flatMap { $0 }
        }
    }

    /// One line's bytes: blank, unreadable (named by its line number), or an item scored unless `journaled`.
    func analyze(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, decoder: JSONDecoder,
                 journaled: Set<String>) -> AnalyzedLine {
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

    /// The inline suites' scores of `item`.
    func score(_ item: ResponseItem, line: Int) -> ItemResult {
        var result = ItemResult(line: line, id: item.id, model: item.model, domain: item.domain)
        if suites.contains(.heuristic) { result.heuristic = HeuristicScorer.score(item.response) }
        if suites.contains(.exact), let answer = item.correctAnswer {
            result.standard = ExactMatch.score(response: item.response, correctAnswer: answer)
        }
        return result
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

    /// An unreadable line's reason, as its failure names it.
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
