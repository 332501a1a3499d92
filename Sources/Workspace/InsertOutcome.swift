/// What an import's insert did with each row: stored, already there unchanged, or refused because its id is stored
/// with other content.
public struct InsertOutcome: Sendable, Equatable {
    public enum Row: Sendable, Equatable {
        case inserted, alreadyPresent, conflict
    }

    public var inserted = 0
    public var alreadyPresent = 0
    /// Indices (in the given rows) whose id is already stored with different content; nothing was changed.
    public var conflicts: [Int] = []

    public init() {}

    mutating func add(_ index: Int, _ row: Row) {
        switch row {
        case .inserted: inserted += 1
        case .alreadyPresent: alreadyPresent += 1
        case .conflict: conflicts.append(index)
        }
    }
}
