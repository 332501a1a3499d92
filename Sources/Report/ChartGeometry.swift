/// Scales and axis ticks of an SVG chart (viewBox units).
struct ChartGeometry {
    static let width = 560.0
    static let height = 240.0
    static let left = 48.0
    static let right = 14.0
    static let top = 22.0
    static let bottom = 34.0

    var xMin: Double
    var xMax: Double
    var yMin: Double
    var yMax: Double

    func x(_ value: Double) -> Double {
        let span = xMax - xMin
        return Self.left + (span == 0 ? 0.5 : (value - xMin) / span) * (Self.width - Self.left - Self.right)
    }

    func y(_ value: Double) -> Double {
        let span = yMax - yMin
        let clamped = min(max(value, yMin), yMax)
        return Self.height - Self.bottom - (span == 0 ? 0.5 : (clamped - yMin) / span) * (Self.height - Self.top - Self.bottom)
    }

    /// About `count` round tick values covering `low…high`.
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow10(floorLog10(raw))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var value = (low / step).rounded(.up) * step
        while value <= high + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    private static func floorLog10(_ value: Double) -> Int {
        var exponent = 0
        var v = value
        while v >= 10 { v /= 10; exponent += 1 }
        while v < 1 && v > 0 { v *= 10; exponent -= 1 }
        return exponent
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
        return result
    }

    /// A coordinate with one decimal (keeps the page small).
    static func format(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }
}
