import Foundation

/// The special functions the tests' distributions are built on: log-gamma and the regularized incomplete beta.
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0 (Lanczos' approximation with Godfrey's coefficients, as in Numerical Recipes 3rd ed.:
    /// relative error below 1e-15). Our own, not libm's `lgamma`, which writes the global `signgam` and so is not
    /// safe to call from several threads.
    public static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "logGamma needs x > 0")
        var y = x
        let shifted = x + 671.0 / 128.0
        let front = (x + 0.5) * log(shifted) - shifted
        var series = 0.999999999999997092
        for coefficient in lanczos {
            y += 1
            series += coefficient / y
        }
        return front + log(2.5066282746310005 * series / x)
    }

    private static let lanczos: [Double] = [
        57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
        0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
        -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
        -0.261908384015814087e-4, 0.368991826595316234e-5,
    ]

    /// I_x(a, b), the regularized incomplete beta function, for a, b > 0 and x in [0, 1].
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "regularizedIncompleteBeta needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast only below the mean (a+1)/(a+b+2); above it, use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a). A small result (a small p-value) is always computed directly, so it keeps
        // its relative precision.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of I_x(a, b), evaluated by the modified Lentz method.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            // Even step d_{2m}, then odd step d_{2m+1}.
            var term = m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m))
            d = 1 / guarded(1 + term * d)
            c = guarded(1 + term / c)
            h *= d * c
            term = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))
            d = 1 / guarded(1 + term * d)
            c = guarded(1 + term / c)
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return h
    }
}
