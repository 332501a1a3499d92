import Foundation

/// A ggml tensor type: its id in GGUF files, name and storage layout (elements per block, bytes per block).
///
/// Unknown ids are representable (newer files may use types added later): they have no size, so their
/// tensors' byte counts cannot be checked or read.
public struct GGMLType: Sendable, Hashable, CustomStringConvertible {
    public let id: UInt32

    public init(id: UInt32) { self.id = id }

    /// ggml's `ggml_type` table as in gguf-py's `GGML_QUANT_SIZES`.
    private static let table: [UInt32: (name: String, blockSize: Int, blockBytes: Int)] = [
        0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
        7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
        12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
        16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
        20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
        24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
        29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
        39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18), 42: ("Q2_0", 64, 18),
    ]

    public static let f32 = GGMLType(id: 0)
    public static let f16 = GGMLType(id: 1)
    public static let q4_0 = GGMLType(id: 2)
    public static let q4_1 = GGMLType(id: 3)
    public static let q5_0 = GGMLType(id: 6)
    public static let q5_1 = GGMLType(id: 7)
    public static let q8_0 = GGMLType(id: 8)
    public static let q4_K = GGMLType(id: 12)
    public static let q5_K = GGMLType(id: 13)
    public static let q6_K = GGMLType(id: 14)
    public static let i8 = GGMLType(id: 24)
    public static let i16 = GGMLType(id: 25)
    public static let i32 = GGMLType(id: 26)
    public static let i64 = GGMLType(id: 27)
    public static let f64 = GGMLType(id: 28)
    public static let bf16 = GGMLType(id: 30)

    /// The type named `name` (`"Q4_K"`, case-insensitive), if known.
    public init?(name: String) {
        guard let entry = Self.table.first(where: { $0.value.name.caseInsensitiveCompare(name) == .orderedSame }) else { return nil }
        id = entry.key
    }

    /// The type's name; an id this reader does not know is `unknown(ID)`.
    public var name: String { Self.table[id]?.name ?? "unknown(\(id))" }
    public var isKnown: Bool { Self.table[id] != nil }
    /// Elements per block (1 for plain types), if known.
    public var blockSize: Int? { Self.table[id]?.blockSize }
    /// Bytes per block, if known.
    public var blockBytes: Int? { Self.table[id]?.blockBytes }
    public var description: String { name }

    /// Bytes needed for `elements` values, or `nil` for an unknown type, a count that is not whole blocks, or an
    /// overflow.
    public func byteCount(elements: UInt64) -> UInt64? {
        guard let entry = Self.table[id], elements % UInt64(entry.blockSize) == 0 else { return nil }
        let (bytes, overflow) = (elements / UInt64(entry.blockSize)).multipliedReportingOverflow(by: UInt64(entry.blockBytes))
        return overflow ? nil : bytes
    }
}
