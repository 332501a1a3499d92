import Foundation

/// The exact McNemar test of paired 0/1 outcomes: a two-sided exact binomial test (p = ½) on the discordant
/// pairs, p = min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, ½).
///
/// With no discordant pairs (b = c = 0) the outcomes never disagree and p = 1.
public struct McNemarTest: Sendable, Hashable {
    /// Pairs that were correct before and wrong after.
    public var onlyOld: Int
    /// Pairs that were wrong before and correct after.
    public var onlyNew: Int
    public var pValue: Double

    public init(onlyOld b: Int, onlyNew c: Int) {
        precondition(b >= 0 && c >= 0, "discordant counts cannot be negative")
        onlyOld = b
        onlyNew = c
        let n = b + c, k = min(b, c)
        guard n > 0, 2 * k < n else {
            pValue = 1
            return
        }
        // P(X ≤ k) for X ~ Binomial(n, ½) is I_½(n − k, k + 1): the incomplete beta keeps the relative precision
        // of a tiny tail where summing terms would not.
        let tail = SpecialFunctions.regularizedIncompleteBeta(x: 0.5, a: Double(n - k), b: Double(k + 1))
        pValue = min(1, 2 * tail)
    }

    /// The test of paired outcomes `old[i]`, `new[i]`.
    public init(old: [Bool], new: [Bool]) {
        precondition(old.count == new.count, "a paired test needs as many old outcomes as new")
        var b = 0, c = 0
        for (before, after) in zip(old, new) where before != after {
            if before { b += 1 } else { c += 1 }
        }
        self.init(onlyOld: b, onlyNew: c)
    }
}
