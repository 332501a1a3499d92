import Foundation

/// Student's t distribution with `degreesOfFreedom` > 0.
public struct StudentT: Sendable, Hashable {
    public var degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "Student's t needs degrees of freedom > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(|T| ≥ |t|): the two-sided p-value of a t statistic.
    public func twoSidedPValue(_ t: Double) -> Double {
        let df = degreesOfFreedom
        return SpecialFunctions.regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        let tail = twoSidedPValue(t) / 2
        return t > 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, for p in (0, 1).
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs p in (0, 1)")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p) }
        // Invert the tail 1 − p = P(T > t) (kept as a tail so a p near 1 loses no precision) by bisection:
        // the tail is monotone, and 200 halvings of a bracketing interval reach the double nearest the root.
        let tail = 1 - p
        var low = 0.0, high = 1.0
        while twoSidedPValue(high) / 2 > tail { low = high; high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if twoSidedPValue(middle) / 2 > tail { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
