import Foundation

/// The paired t-test of `new − old` differences, with the 95% (or `confidence`) t interval of the mean difference.
///
/// Edge cases: with fewer than two pairs there is no standard error, interval, statistic or p-value (`nil`). When
/// every difference is the same (zero variance) the standard error is 0 and the interval is that one value; the
/// p-value is then defined as 1 if the difference is 0 and 0 otherwise (the limit of the test as the spread goes
/// to zero), and `t` is `nil` (it would be infinite or 0/0).
public struct PairedTTest: Sendable, Hashable {
    /// The differences' count, mean, standard deviation and standard error.
    public var differences: SampleSummary
    public var t: Double?
    /// Two-sided.
    public var pValue: Double?
    public var confidenceInterval: ClosedRange<Double>?

    public init(differences values: [Double], confidence: Double = 0.95) {
        differences = SampleSummary(values)
        guard let mean = differences.mean, let standardError = differences.standardError else { return }
        if standardError == 0 {
            pValue = mean == 0 ? 1 : 0
            confidenceInterval = mean...mean
            return
        }
        let distribution = StudentT(degreesOfFreedom: Double(values.count - 1))
        let statistic = mean / standardError
        t = statistic
        pValue = distribution.twoSidedPValue(statistic)
        let margin = distribution.quantile(1 - (1 - confidence) / 2) * standardError
        confidenceInterval = (mean - margin)...(mean + margin)
    }

    /// The test of `new[i] − old[i]`; the arrays must be paired (the same length, item by item).
    public init(old: [Double], new: [Double], confidence: Double = 0.95) {
        precondition(old.count == new.count, "a paired test needs as many old values as new")
        self.init(differences: zip(old, new).map { $1 - $0 }, confidence: confidence)
    }

    /// Whether the interval excludes zero.
    public var excludesZero: Bool {
        guard let interval = confidenceInterval else { return false }
        return !interval.contains(0)
    }
}
