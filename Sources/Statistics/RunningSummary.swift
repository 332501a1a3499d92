import Foundation

/// A ``SampleSummary`` built one value at a time (Welford's update: no stored values, no cancellation from a sum
/// of squares).
public struct RunningSummary: Sendable, Hashable {
    public private(set) var count = 0
    private var mean = 0.0
    /// Σ (x − mean)², kept up to date as values arrive.
    private var squaredDeviations = 0.0

    public init() {}

    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (value - mean)
    }

    public var summary: SampleSummary {
        SampleSummary(count: count, mean: count > 0 ? mean : nil,
                      standardDeviation: count > 1 ? (squaredDeviations / Double(count - 1)).squareRoot() : nil)
    }
}
