/// The results an earlier run journaled, handed out as their items come again: which lines a resumed run reuses and
/// which it scores (again). Pure state, no I/O: the journal reads them (``ScoringJournal/load()``).
struct ResumableResults {
    /// Journaled results by item id, in journal order (an id repeats for duplicate ids in the input).
    private var byID: [String: [ItemResult]]
    /// Every id journaled at the start, a superset of those still resumable: analysis may leave these unscored.
    let journaledIDs: Set<String>
    /// Whether a journaled result with failures is scored again rather than reused.
    let retryFailed: Bool

    init(_ byID: [String: [ItemResult]], retryFailed: Bool) {
        self.byID = byID
        journaledIDs = Set(byID.keys)
        self.retryFailed = retryFailed
    }

    /// The journaled result to reuse for the item `id` at input line `line` (its line set to `line`), or nil to score
    /// the item. Either way one journaled result of `id` is used up, so duplicate ids resume one result each; the one
    /// journaled for this very line is preferred.
    mutating func take(id: String, line: Int) -> ItemResult? {
        guard var previous = byID[id], !previous.isEmpty else { return nil }
        var result = previous.remove(at: previous.firstIndex { $0.line == line } ?? 0)
        byID[id] = previous.isEmpty ? nil : previous
        if retryFailed && result.failed { return nil }
        result.line = line
        return result
    }
}
