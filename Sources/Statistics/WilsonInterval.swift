import Foundation

/// The Wilson score interval of a proportion (`successes` of `trials`) at 95% confidence.
///
/// `nil` for zero trials: there is no proportion to bound.
public struct WilsonInterval: Sendable, Hashable {
    public var successes: Int
    public var trials: Int
    public var low: Double
    public var high: Double

    /// The proportion's standard normal quantile at 97.5% (Φ⁻¹(0.975)), the z every 95% interval here uses.
    public static let z95 = 1.959963984540054

    public init?(successes: Int, trials: Int) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        self.successes = successes
        self.trials = trials
        let n = Double(trials), p = Double(successes) / n, z = Self.z95, z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // Clamped: at p = 0 or 1 rounding can put a bound a hair outside [0, 1].
        low = max(0, center - half)
        high = min(1, center + half)
    }

    public var proportion: Double { Double(successes) / Double(trials) }
}
