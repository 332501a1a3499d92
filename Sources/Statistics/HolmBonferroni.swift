import Foundation

/// Holm–Bonferroni's step-down correction of several p-values for multiple comparisons.
public enum HolmBonferroni {
    /// The adjusted p-values, in the input's order: the k-th smallest of m becomes max over j ≤ k of
    /// min(1, (m − j + 1)·p_(j)).
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var result = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            result[index] = running
        }
        return result
    }

    /// Which hypotheses are rejected at family-wise level `alpha`, in the input's order.
    public static func significant(_ pValues: [Double], alpha: Double = 0.05) -> [Bool] {
        adjusted(pValues).map { $0 <= alpha }
    }
}
