import Foundation

/// The count, mean, sample standard deviation and standard error of a sample.
///
/// Undefined values are `nil`, never NaN: no mean for an empty sample; no standard deviation or standard error
/// for fewer than two values.
public struct SampleSummary: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double?
    /// The sample (n − 1) standard deviation.
    public var standardDeviation: Double?
    /// standardDeviation / √n.
    public var standardError: Double?

    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else { return }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        self.mean = mean
        guard values.count > 1 else { return }
        // Two passes (mean first, then squared deviations): no cancellation when the values sit far from zero.
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let deviation = (squares / (n - 1)).squareRoot()
        standardDeviation = deviation
        standardError = deviation / n.squareRoot()
    }

    /// A summary of `count` values with the given mean and standard deviation (standard error derived).
    public init(count: Int, mean: Double?, standardDeviation: Double?) {
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        standardError = standardDeviation.map { $0 / Double(count).squareRoot() }
    }
}
