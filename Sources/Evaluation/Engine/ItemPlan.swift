import Foundation

/// What the engine does with an analysed line — reuse, write as scored, or judge — decided without I/O.
enum ItemPlan {
    /// An unreadable line: its failure result, written in order (not journaled: it has no id).
    case unreadable(ItemResult)
    /// A result an earlier run journaled, reused as it is.
    case resumed(ItemResult)
    /// Fully scored without a judge (to journal), with its line when already encoded.
    case inline(ItemResult, encoded: Data?)
    /// Scored inline so far; the judge suites that apply to the item are still to ask.
    case judge(ItemResult, ResponseItem, [JudgeSuite])

    /// The plan for `analyzed` at input line `line`; nil for a blank line. A journaled result is taken from
    /// `resumable` when there is one to reuse; an item analysis left unscored (its id was journaled) is scored here.
    static func plan(_ analyzed: AnalyzedLine, line: Int, judgeSuites: [JudgeSuite], applicability: JudgeApplicability,
                     analyzer: ItemAnalyzer, resumable: inout ResumableResults) -> ItemPlan? {
        let item: ResponseItem, scored: ItemResult?, encoded: Data?
        switch analyzed {
        case .blank: return nil
        case .unreadable(let result): return .unreadable(result)
        case .item(let value, let score, let bytes): (item, scored, encoded) = (value, score, bytes)
        }
        if let previous = resumable.take(id: item.id, line: line) { return .resumed(previous) }
        let result = scored ?? analyzer.score(item, line: line)
        let applicable = applicability.applicable(judgeSuites, to: item)
        guard applicable.isEmpty else { return .judge(result, item, applicable) }
        return .inline(result, encoded: scored == nil ? nil : encoded)
    }
}
