/// Progress of a run, reported periodically.
public struct ScoringProgress: Sendable, Hashable {
    /// Items written to the output.
    public var done: Int
    /// Of those, items with at least one failure.
    public var failed: Int
    /// Input lines read so far (the total, once the input is exhausted).
    public var read: Int
    /// Items reused from the journal.
    public var resumed: Int
    public var inFlight: Int
    public var elapsedSeconds: Double
    public var itemsPerSecond: Double
    /// Whether this is the last report of the run.
    public var finished: Bool
}
