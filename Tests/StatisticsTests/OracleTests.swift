import Testing
@testable import Statistics

/// Every function against SciPy / statsmodels values (`StatisticsGolden`).
@Suite struct OracleTests {
    let golden: StatisticsGolden

    init() throws { golden = try StatisticsGolden.load() }

    @Test func fixtureIsComplete() {
        #expect(golden.incompleteBeta.count == 10)
        #expect(golden.tQuantile.count == 66 && golden.tTwoSided.count == 66)
        #expect(golden.pairedT.count == 6 && golden.wilson.count == 9 && golden.mcnemar.count == 10)
        #expect(golden.holm.count == 4 && golden.mde.count == 4)
    }

    @Test func incompleteBetaMatchesBetainc() {
        for c in golden.incompleteBeta {
            let value = SpecialFunctions.regularizedIncompleteBeta(x: c.x, a: c.a, b: c.b)
            #expect(close(value, c.value), "I_\(c.x)(\(c.a), \(c.b)) = \(value), scipy \(c.value)")
        }
    }

    @Test func tQuantileMatchesPpf() {
        for c in golden.tQuantile {
            let value = StudentT(degreesOfFreedom: c.df).quantile(c.p)
            #expect(close(value, c.value), "t.ppf(\(c.p), \(c.df)) = \(value), scipy \(c.value)")
        }
    }

    @Test func twoSidedPValueMatchesSf() {
        for c in golden.tTwoSided {
            let value = StudentT(degreesOfFreedom: c.df).twoSidedPValue(c.t)
            #expect(close(value, c.value), "p(t=\(c.t), df=\(c.df)) = \(value), scipy \(c.value)")
        }
    }

    @Test func pairedTestMatchesTtestRel() {
        for c in golden.pairedT {
            let test = PairedTTest(old: c.old, new: c.new)
            #expect(test.differences.count == c.old.count)
            #expect(close(test.differences.mean, c.mean), "n=\(c.old.count) mean")
            #expect(close(test.differences.standardDeviation, c.sd), "n=\(c.old.count) sd")
            #expect(close(test.differences.standardError, c.stderr), "n=\(c.old.count) stderr")
            #expect(close(test.t, c.t), "n=\(c.old.count) t")
            #expect(close(test.pValue, c.p), "n=\(c.old.count) p \(test.pValue ?? -1) vs \(c.p)")
            #expect(close(test.confidenceInterval?.lowerBound, c.ciLow), "n=\(c.old.count) ci low")
            #expect(close(test.confidenceInterval?.upperBound, c.ciHigh), "n=\(c.old.count) ci high")
        }
    }

    @Test func wilsonMatchesProportionConfint() throws {
        for c in golden.wilson {
            let interval = try #require(WilsonInterval(successes: c.successes, trials: c.trials))
            #expect(close(interval.low, c.low), "\(c.successes)/\(c.trials) low \(interval.low) vs \(c.low)")
            #expect(close(interval.high, c.high), "\(c.successes)/\(c.trials) high \(interval.high) vs \(c.high)")
        }
    }

    @Test func mcnemarMatchesBinomtest() {
        for c in golden.mcnemar {
            let value = McNemarTest(onlyOld: c.b, onlyNew: c.c).pValue
            #expect(close(value, c.p), "b=\(c.b) c=\(c.c): \(value), scipy \(c.p)")
        }
    }

    @Test func holmMatchesMultipletests() {
        for c in golden.holm {
            let adjusted = HolmBonferroni.adjusted(c.pValues)
            #expect(zip(adjusted, c.adjusted).allSatisfy { close($0, $1) }, "\(c.pValues): \(adjusted) vs \(c.adjusted)")
            #expect(HolmBonferroni.significant(c.pValues) == c.reject, "\(c.pValues)")
        }
    }

    @Test func minimumDetectableEffectMatchesTQuantiles() {
        for c in golden.mde {
            let value = MinimumDetectableEffect.paired(n: c.n, standardDeviation: c.sd)
            #expect(close(value, c.value), "n=\(c.n) sd=\(c.sd): \(value ?? -1) vs \(c.value)")
        }
    }
}
