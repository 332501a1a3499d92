import Foundation
@testable import ModelFormats
import Testing

/// Rebuilds the patterned blocks of `scripts/make_dequantization_reference.py` (the inputs whose decoded values
/// gguf-py computed into ``DequantizationReferenceValues``).
enum DequantizationReference {
    static let halfFields: [String: [Int]] = [
        "Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2], "Q8_0": [0], "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208],
    ]
    static let halves: [UInt16] = [0x2E66, 0xB0CD]

    static func blocks(_ type: GGMLType, count: Int) -> [UInt8] {
        let size = type.blockBytes!
        var out: [UInt8] = []
        for b in 0..<count {
            var block = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 73 + b * 151 + Int(type.id) * 7) }
            for (i, offset) in halfFields[type.name]!.enumerated() {
                let h = halves[(i + b) % 2]
                block[offset] = UInt8(h & 0xFF)
                block[offset + 1] = UInt8(h >> 8)
            }
            out += block
        }
        return out
    }
}

@Suite struct GGMLDequantizationTests {
    @Test(arguments: ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K", "Q5_K", "Q6_K"])
    func matchesGGUFPyReference(typeName: String) throws {
        let type = try #require(GGMLType(name: typeName))
        let expected = try #require(DequantizationReferenceValues.values[typeName])
        let bytes = DequantizationReference.blocks(type, count: 2)
        let values = try GGMLDequantization.dequantize(bytes, type: type, count: 2 * type.blockSize!)
        #expect(values.count == expected.count)
        var mismatches: [String] = []
        for (i, (got, want)) in zip(values, expected).enumerated() where abs(got - want) > 1e-6 * max(1, abs(want)) {
            mismatches.append("[\(i)] \(got) ≠ \(want)")
        }
        #expect(mismatches.isEmpty, "\(typeName): \(mismatches.count) values differ, first: \(mismatches.prefix(4))")
        // The values are not trivially constant (the reference exercises every nibble position).
        #expect(Set(values).count > 8)
    }

    @Test func q8_0HandBuiltBlock() throws {
        // d = 0.5 (f16 0x3800), quants -128, -1, 0, 1, …, 29.
        var block: [UInt8] = [0x00, 0x38, 0x80, 0xFF]
        block += (0..<30).map { UInt8($0) }
        let values = try GGMLDequantization.dequantize(block, type: .q8_0, count: 32)
        let rest: [Float] = (0..<30).map { Float($0) * 0.5 }
        let expected: [Float] = [-64, -0.5] + rest
        #expect(values == expected)
    }

    @Test func q4_1HandBuiltBlock() throws {
        // d = 2 (0x4000), m = -1 (0xBC00); byte j holds low nibble j % 16 and high nibble 15 − j % 16.
        var block: [UInt8] = [0x00, 0x40, 0x00, 0xBC]
        block += (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        let values = try GGMLDequantization.dequantize(block, type: .q4_1, count: 32)
        let low: [Float] = (0..<16).map { Float(2 * $0 - 1) }
        let high: [Float] = (0..<16).map { Float(2 * (15 - $0) - 1) }
        #expect(values == low + high)
    }

    @Test func plainFloatTypes() throws {
        let f32: [Float] = [1.5, -2.25, 0, .infinity]
        let f32Bytes = f32.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        #expect(try GGMLDequantization.dequantize(f32Bytes, type: .f32, count: 4) == f32)
        // f16 1.0, -2.0, 65504; bf16 1.0, -3.0.
        #expect(try GGMLDequantization.dequantize([0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B], type: .f16, count: 3) == [1, -2, 65504])
        #expect(try GGMLDequantization.dequantize([0x80, 0x3F, 0x40, 0xC0], type: .bf16, count: 2) == [1, -3])
    }

    @Test func rejectsWrongSizesAndUnsupportedTypes() throws {
        #expect(throws: ModelFormatError.self) { try GGMLDequantization.dequantize([UInt8](repeating: 0, count: 33), type: .q8_0, count: 32) }
        #expect(throws: ModelFormatError.self) { try GGMLDequantization.dequantize([UInt8](repeating: 0, count: 34), type: .q8_0, count: 16) }
        let q2K = try #require(GGMLType(name: "Q2_K"))
        let error = try #require(throws: ModelFormatError.self) {
            try GGMLDequantization.dequantize([UInt8](repeating: 0, count: 84), type: q2K, count: 256)
        }
        #expect(error.code == .unsupported)
        #expect(error.message.contains("Q2_K"))
    }
}
