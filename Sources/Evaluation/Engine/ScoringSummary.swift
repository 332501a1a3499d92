/// The outcome of a run.
public struct ScoringSummary: Sendable, Hashable {
    public var items: Int
    public var failed: Int
    public var resumed: Int
    public var judgeCalls: Int
    public var elapsedSeconds: Double
    public var configHash: String
}
