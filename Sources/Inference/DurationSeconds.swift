extension Duration {
    /// The duration in seconds, for metrics, JSON and APIs that take a `Double` (stdlib `Duration` division).
    public var seconds: Double { self / .seconds(1) }
}
