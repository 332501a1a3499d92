/// Items that finish out of order, held until every earlier one has: the engine writes its results in input order.
///
/// Each item read gets the next sequence number (``assign()``); a finished one is ``insert(_:at:)``ed under it, and
/// ``popNext()`` hands items back strictly in sequence, stopping at the first gap. Pure state, no I/O.
struct ReorderBuffer<Element> {
    private var waiting: [Int: Element] = [:]
    /// Sequence numbers given out so far (items read).
    private(set) var assigned = 0
    /// The sequence number of the next item to hand back (items handed back so far).
    private(set) var emitted = 0

    /// The next item's sequence number.
    mutating func assign() -> Int {
        defer { assigned += 1 }
        return assigned
    }

    /// Holds the finished item with sequence number `seq`.
    mutating func insert(_ element: Element, at seq: Int) {
        waiting[seq] = element
    }

    /// The next item in sequence, removed, when it has finished; nil while it has not (or nothing is waiting).
    mutating func popNext() -> Element? {
        guard let element = waiting.removeValue(forKey: emitted) else { return nil }
        emitted += 1
        return element
    }

    /// Items between the oldest not handed back and the newest read: what the reorder window bounds.
    var span: Int { assigned - emitted }

    /// Finished items waiting for an earlier one.
    var waitingCount: Int { waiting.count }
}
