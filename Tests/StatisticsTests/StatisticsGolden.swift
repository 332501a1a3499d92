import Foundation

/// `Resources/statistics-golden.json`: expected values from SciPy and statsmodels, written by
/// `scripts/make_statistics_golden.py` (the script names the oracle function behind each list).
struct StatisticsGolden: Decodable {
    struct IncompleteBeta: Decodable { var x, a, b, value: Double }
    struct TQuantile: Decodable { var p, df, value: Double }
    struct TTwoSided: Decodable { var t, df, value: Double }
    struct PairedT: Decodable {
        var old, new: [Double]
        var mean, sd, stderr, t, p: Double
        var ciLow, ciHigh: Double
        enum CodingKeys: String, CodingKey { case old, new, mean, sd, stderr, t, p, ciLow = "ci_low", ciHigh = "ci_high" }
    }
    struct Wilson: Decodable { var successes, trials: Int; var low, high: Double }
    struct McNemar: Decodable { var b, c: Int; var p: Double }
    struct Holm: Decodable {
        var pValues, adjusted: [Double]
        var reject: [Bool]
        enum CodingKeys: String, CodingKey { case pValues = "p_values", adjusted, reject }
    }
    struct MDE: Decodable { var n: Int; var sd, value: Double }

    var incompleteBeta: [IncompleteBeta]
    var tQuantile: [TQuantile]
    var tTwoSided: [TTwoSided]
    var pairedT: [PairedT]
    var wilson: [Wilson]
    var mcnemar: [McNemar]
    var holm: [Holm]
    var mde: [MDE]

    enum CodingKeys: String, CodingKey {
        case incompleteBeta = "incomplete_beta", tQuantile = "t_quantile", tTwoSided = "t_two_sided"
        case pairedT = "paired_t", wilson, mcnemar, holm, mde
    }

    static func load() throws -> StatisticsGolden {
        guard let url = Bundle.module.url(forResource: "statistics-golden", withExtension: "json", subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile) }
        return try JSONDecoder().decode(StatisticsGolden.self, from: Data(contentsOf: url))
    }
}

/// Equal to a relative 1e-9 (or an absolute 1e-13 near zero).
func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-9) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= max(relative * abs(expected), 1e-13)
}
