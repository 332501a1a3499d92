/// Bit-exact conversions between `Float` and the 16-bit float formats (IEEE half, bfloat16), written out
/// so they behave the same on every platform (`Float16` is unavailable on Intel macOS).
enum FloatBits {
    /// IEEE half to `Float` (exact, including subnormals, infinities and NaN).
    @inline(__always)
    static func halfToFloat(_ h: UInt16) -> Float {
        let w = UInt32(h) << 16
        let sign = w & 0x8000_0000
        let twoW = w &+ w
        let normalized = Float(bitPattern: (twoW >> 4) &+ (0xE0 << 23)) * Float(bitPattern: 0x0780_0000)  // × 2^-112
        let denormalized = Float(bitPattern: (twoW >> 17) | (126 << 23)) - 0.5
        let bits = twoW < (1 << 27) ? denormalized.bitPattern : normalized.bitPattern
        return Float(bitPattern: sign | bits)
    }

    /// `Float` to IEEE half, rounding to nearest even; overflow gives infinity, NaN stays NaN.
    @inline(__always)
    static func floatToHalf(_ f: Float) -> UInt16 {
        var base = (abs(f) * Float(bitPattern: 0x7780_0000)) * Float(bitPattern: 0x0880_0000)  // × 2^112 × 2^-110
        let w = f.bitPattern
        let shl1W = w &+ w
        let sign = w & 0x8000_0000
        var bias = shl1W & 0xFF00_0000
        if bias < 0x7100_0000 { bias = 0x7100_0000 }
        base = Float(bitPattern: (bias >> 1) &+ 0x0780_0000) + base
        let bits = base.bitPattern
        let expBits = (bits >> 13) & 0x0000_7C00
        let mantissaBits = bits & 0x0000_0FFF
        let nonsign = expBits &+ mantissaBits
        return UInt16(truncatingIfNeeded: (sign >> 16) | (shl1W > 0xFF00_0000 ? 0x7E00 : nonsign))
    }

    /// bfloat16 to `Float` (exact).
    @inline(__always)
    static func bfloat16ToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    /// `Float` to bfloat16, rounding to nearest even; NaN stays NaN.
    @inline(__always)
    static func floatToBFloat16(_ f: Float) -> UInt16 {
        let x = f.bitPattern
        if f.isNaN { return UInt16(truncatingIfNeeded: (x >> 16) | 0x0040) }
        return UInt16(truncatingIfNeeded: (x &+ 0x7FFF &+ ((x >> 16) & 1)) >> 16)
    }
}
