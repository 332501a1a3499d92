import Foundation
import Testing
@testable import Statistics

/// The defined results where the usual formulas divide by zero.
@Suite struct EdgeCaseTests {
    @Test func emptySampleHasNoMean() {
        let summary = SampleSummary([])
        #expect(summary.count == 0 && summary.mean == nil && summary.standardDeviation == nil && summary.standardError == nil)
        let test = PairedTTest(differences: [])
        #expect(test.pValue == nil && test.confidenceInterval == nil && test.t == nil && !test.excludesZero)
    }

    @Test func oneValueHasAMeanButNoSpread() {
        let test = PairedTTest(old: [1], new: [3.5])
        #expect(test.differences.mean == 2.5)
        #expect(test.differences.standardDeviation == nil && test.differences.standardError == nil)
        #expect(test.pValue == nil && test.confidenceInterval == nil && test.t == nil && !test.excludesZero)
        #expect(MinimumDetectableEffect.paired(n: 1, standardDeviation: 1) == nil)
    }

    @Test func twoValuesUseOneDegreeOfFreedom() throws {
        // Differences 1 and 3: mean 2, sd √2, stderr 1, t = 2; with 1 df p = 1 − 2·atan(2)/π.
        let test = PairedTTest(differences: [1, 3])
        #expect(close(test.differences.standardError, 1))
        #expect(close(test.t, 2))
        #expect(close(test.pValue, 1 - 2 * atan(2) / Double.pi))
        let interval = try #require(test.confidenceInterval)
        #expect(close(interval.upperBound, 2 + 12.706204736174707))
    }

    @Test func zeroVarianceWithZeroMeanIsNoEvidence() {
        let test = PairedTTest(old: [0.5, 0.25, 1], new: [0.5, 0.25, 1])
        #expect(test.differences.standardError == 0)
        #expect(test.pValue == 1 && test.t == nil)
        #expect(test.confidenceInterval == 0...0 && !test.excludesZero)
    }

    @Test func zeroVarianceWithANonzeroMeanIsCertain() {
        let test = PairedTTest(differences: [0.5, 0.5, 0.5, 0.5])
        #expect(test.differences.standardError == 0)
        #expect(test.pValue == 0 && test.t == nil)
        #expect(test.confidenceInterval == 0.5...0.5 && test.excludesZero)
    }

    @Test func noDiscordantPairsMeansPOne() {
        #expect(McNemarTest(onlyOld: 0, onlyNew: 0).pValue == 1)
        let same = McNemarTest(old: [true, false, true], new: [true, false, true])
        #expect(same.onlyOld == 0 && same.onlyNew == 0 && same.pValue == 1)
    }

    @Test func mcnemarCountsDiscordantPairsByDirection() {
        let test = McNemarTest(old: [true, true, false, false, false, true], new: [false, true, true, true, true, true])
        #expect(test.onlyOld == 1 && test.onlyNew == 3)
        // Binomial(4, ½): P(X ≤ 1) = 5/16, doubled.
        #expect(close(test.pValue, 10.0 / 16.0))
    }

    @Test func wilsonNeedsTrials() {
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
        #expect(WilsonInterval(successes: 3, trials: 2) == nil)
        let all = WilsonInterval(successes: 5, trials: 5)
        #expect(all?.high == 1 && all.map { $0.low < 1 } == true)
    }

    @Test func holmOfNothingIsNothing() {
        #expect(HolmBonferroni.adjusted([]).isEmpty)
        // Adjusted values never decrease along the sorted order, and never exceed 1.
        #expect(zip(HolmBonferroni.adjusted([0.3, 0.01, 0.5]), [0.6, 0.03, 0.6]).allSatisfy { close($0, $1) })
    }

    @Test func quantileIsSymmetricAndInvertsTheCDF() {
        let t = StudentT(degreesOfFreedom: 7)
        #expect(t.quantile(0.5) == 0)
        #expect(close(t.quantile(0.1), -t.quantile(0.9)))
        #expect(close(t.cdf(t.quantile(0.975)), 0.975))
    }
}
