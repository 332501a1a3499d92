import Foundation

/// The unbiased pass@k estimator (Chen et al., 2021): the probability that at least one of `k` answers drawn without
/// replacement from `n` sampled answers, `c` of them correct, is correct: 1 − C(n−c, k) / C(n, k).
///
/// `nil` when undefined: `k` not in 1…n, or `c` not in 0…n.
public enum PassAtK {
    public static func estimate(samples n: Int, correct c: Int, k: Int) -> Double? {
        guard n > 0, (1...n).contains(k), (0...n).contains(c) else { return nil }
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        // C(n−c, k) / C(n, k) = ∏_{i = n−c+1}^{n} (1 − k/i): a product of factors in (0, 1], so no binomial
        // coefficient is ever formed and nothing overflows for large n.
        var ratio = 1.0
        for i in (n - c + 1)...n { ratio *= 1 - Double(k) / Double(i) }
        return 1 - ratio
    }
}
