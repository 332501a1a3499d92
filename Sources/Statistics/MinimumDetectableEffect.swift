import Foundation

/// The smallest true mean difference a paired design of `n` pairs with the differences' standard deviation `sd`
/// detects with probability `power` by a two-sided test at level `alpha`:
/// (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n, with Student's t quantiles (not the normal approximation, which
/// understates the effect for small n).
///
/// `nil` for fewer than two pairs (no standard deviation, no degrees of freedom).
public enum MinimumDetectableEffect {
    public static func paired(n: Int, standardDeviation sd: Double, alpha: Double = 0.05, power: Double = 0.8) -> Double? {
        guard n >= 2 else { return nil }
        let distribution = StudentT(degreesOfFreedom: Double(n - 1))
        let factor = distribution.quantile(1 - alpha / 2) + distribution.quantile(power)
        return factor * sd / Double(n).squareRoot()
    }
}
