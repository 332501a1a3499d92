@testable import ModelFormats
import Testing

@Suite struct FloatBitsTests {
    @Test func knownValues() {
        #expect(FloatBits.floatToHalf(1) == 0x3C00)
        #expect(FloatBits.floatToHalf(-2) == 0xC000)
        #expect(FloatBits.floatToHalf(65504) == 0x7BFF)
        #expect(FloatBits.floatToHalf(65520) == 0x7C00, "rounds to infinity")
        #expect(FloatBits.floatToHalf(.infinity) == 0x7C00)
        #expect(FloatBits.floatToHalf(.nan) & 0x7C00 == 0x7C00 && FloatBits.floatToHalf(.nan) & 0x3FF != 0)
        #expect(FloatBits.halfToFloat(0x0001) == Float(bitPattern: 0x3380_0000), "smallest subnormal 2^-24")
        #expect(FloatBits.halfToFloat(0x8000).sign == .minus)
        #expect(FloatBits.floatToBFloat16(1) == 0x3F80)
        #expect(FloatBits.bfloat16ToFloat(0xC040) == -3)
        #expect(FloatBits.floatToBFloat16(Float(bitPattern: 0x3F80_8000)) == 0x3F80, "ties to even")
        #expect(FloatBits.floatToBFloat16(Float(bitPattern: 0x3F81_8000)) == 0x3F82, "ties to even")
        #expect(FloatBits.floatToBFloat16(.nan) & 0x7F80 == 0x7F80)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func halfConversionsAgreeWithFloat16() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = FloatBits.halfToFloat(bits)
            #expect(actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN), "half \(bits)")
            if !expected.isNaN { #expect(FloatBits.floatToHalf(expected) == bits) }
        }
        var rng = SeededRandom(seed: 16)
        for _ in 0..<100_000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            guard !f.isNaN else { continue }
            #expect(FloatBits.floatToHalf(f) == Float16(f).bitPattern, "float \(f)")
        }
    }
    #endif
}
