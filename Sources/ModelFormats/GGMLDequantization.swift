/// Dequantizes ggml tensor data to `Float`: the plain float types and the block quantisations llama.cpp models
/// commonly ship in, decoded as ggml's `dequantize_row_*` functions do (same block layouts, same arithmetic order).
///
/// Blocks are little-endian and unaligned in the file, so every field is loaded unaligned.
public enum GGMLDequantization {
    /// The types ``dequantize(_:type:count:into:)`` decodes.
    public static let supportedTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K,
    ]

    public static func isSupported(_ type: GGMLType) -> Bool { supportedTypes.contains(type) }

    /// Decodes `output.count` elements of `type` from `source`, which must hold exactly their bytes.
    public static func dequantize(_ source: UnsafeRawBufferPointer, type: GGMLType, into output: UnsafeMutableBufferPointer<Float>) throws {
        let count = output.count
        guard let bytes = type.byteCount(elements: UInt64(count)) else {
            throw ModelFormatError(.invalidArgument, "\(count) elements are not whole \(type) blocks of \(type.blockSize ?? 0)")
        }
        guard UInt64(source.count) == bytes else {
            throw ModelFormatError(.invalidArgument, "\(count) \(type) elements need \(bytes) bytes, got \(source.count)")
        }
        guard let out = output.baseAddress else { return }
        let blockBytes = type.blockBytes ?? 1
        let blockSize = type.blockSize ?? 1
        let blocks = count / blockSize
        let decode: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void
        switch type {
        case .f32:
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            return
        case .f16:
            for i in 0..<count { out[i] = half(source.baseAddress!, 2 * i) }
            return
        case .bf16:
            for i in 0..<count {
                out[i] = FloatBits.bfloat16ToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
            return
        case .q4_0: decode = q4_0
        case .q4_1: decode = q4_1
        case .q5_0: decode = q5_0
        case .q5_1: decode = q5_1
        case .q8_0: decode = q8_0
        case .q4_K: decode = q4_K
        case .q5_K: decode = q5_K
        case .q6_K: decode = q6_K
        default:
            throw ModelFormatError(
                .unsupported,
                "cannot dequantize ggml type \(type); supported: \(supportedTypes.map(\.name).joined(separator: ", "))"
            )
        }
        guard let base = source.baseAddress else { return }
        for block in 0..<blocks { decode(base + block * blockBytes, out + block * blockSize) }
    }

    /// Decodes `count` elements of `type` from `bytes` (tests and small tensors).
    public static func dequantize(_ bytes: [UInt8], type: GGMLType, count: Int) throws -> [Float] {
        var result = [Float](repeating: 0, count: count)
        try bytes.withUnsafeBytes { source in
            try result.withUnsafeMutableBufferPointer { try dequantize(source, type: type, into: $0) }
        }
        return result
    }

    // MARK: - Field access

    @inline(__always)
    private static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        FloatBits.halfToFloat(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always)
    private static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 { p.load(fromByteOffset: offset, as: UInt8.self) }

    // MARK: - 32-element blocks

    /// `block_q4_0`: f16 d, 16 bytes of nibbles; element j is low nibble j, element j+16 high nibble j; (q − 8)·d.
    private static func q4_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for j in 0..<16 {
            let q = byte(p, 2 + j)
            y[j] = Float(Int(q & 0x0F) - 8) * d
            y[j + 16] = Float(Int(q >> 4) - 8) * d
        }
    }

    /// `block_q4_1`: f16 d, f16 m, 16 bytes of nibbles; q·d + m.
    private static func q4_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        for j in 0..<16 {
            let q = byte(p, 4 + j)
            y[j] = Float(q & 0x0F) * d + m
            y[j + 16] = Float(q >> 4) * d + m
        }
    }

    /// `block_q5_0`: f16 d, 32 fifth bits (u32 qh), 16 bytes of nibbles; (q − 16)·d.
    private static func q5_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for j in 0..<16 {
            let q = byte(p, 6 + j)
            let h0 = Int(((qh >> UInt32(j)) << 4) & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float((Int(q & 0x0F) | h0) - 16) * d
            y[j + 16] = Float((Int(q >> 4) | h1) - 16) * d
        }
    }

    /// `block_q5_1`: f16 d, f16 m, u32 qh, 16 bytes of nibbles; q·d + m.
    private static func q5_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for j in 0..<16 {
            let q = byte(p, 8 + j)
            let h0 = Int(((qh >> UInt32(j)) << 4) & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float(Int(q & 0x0F) | h0) * d + m
            y[j + 16] = Float(Int(q >> 4) | h1) * d + m
        }
    }

    /// `block_q8_0`: f16 d, 32 signed bytes; q·d.
    private static func q8_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for j in 0..<32 { y[j] = Float(Int8(bitPattern: byte(p, 2 + j))) * d }
    }

    // MARK: - 256-element k-quants

    /// The 6-bit scale and min of sub-block `j` (0..<8) from the 12 packed bytes at `scales` (`get_scale_min_k4`).
    @inline(__always)
    private static func scaleMin(_ j: Int, _ p: UnsafeRawPointer, _ scales: Int) -> (Float, Float) {
        let q = { (i: Int) in byte(p, scales + i) }
        if j < 4 { return (Float(q(j) & 63), Float(q(j + 4) & 63)) }
        return (Float((q(j + 4) & 0x0F) | ((q(j - 4) >> 6) << 4)), Float((q(j + 4) >> 4) | ((q(j) >> 6) << 4)))
    }

    /// `block_q4_K`: f16 d, f16 dmin, 12 bytes of scales/mins, 128 bytes of nibbles in four 64-element groups
    /// (32 low nibbles, then the same 32 bytes' high nibbles); d·sc·q − dmin·m.
    private static func q4_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        var out = y
        for group in 0..<4 {
            let (sc1, m1) = scaleMin(2 * group, p, 4), (sc2, m2) = scaleMin(2 * group + 1, p, 4)
            let d1 = d * sc1, min1 = dmin * m1, d2 = d * sc2, min2 = dmin * m2
            let qs = 16 + 32 * group
            for l in 0..<32 { out[l] = d1 * Float(byte(p, qs + l) & 0x0F) - min1 }
            for l in 0..<32 { out[32 + l] = d2 * Float(byte(p, qs + l) >> 4) - min2 }
            out += 64
        }
    }

    /// `block_q5_K`: f16 d, f16 dmin, 12 bytes of scales/mins, 32 bytes of fifth bits, 128 bytes of nibbles.
    private static func q5_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        var out = y
        var u1: UInt8 = 1, u2: UInt8 = 2
        for group in 0..<4 {
            let (sc1, m1) = scaleMin(2 * group, p, 4), (sc2, m2) = scaleMin(2 * group + 1, p, 4)
            let d1 = d * sc1, min1 = dmin * m1, d2 = d * sc2, min2 = dmin * m2
            let qs = 48 + 32 * group
            for l in 0..<32 {
                let h = byte(p, 16 + l) & u1 != 0 ? 16 : 0
                out[l] = d1 * Float(Int(byte(p, qs + l) & 0x0F) + h) - min1
            }
            for l in 0..<32 {
                let h = byte(p, 16 + l) & u2 != 0 ? 16 : 0
                out[32 + l] = d2 * Float(Int(byte(p, qs + l) >> 4) + h) - min2
            }
            out += 64
            u1 <<= 2
            u2 <<= 2
        }
    }

    /// `block_q6_K`: 128 bytes of low nibbles (ql), 64 bytes of high 2-bit pairs (qh), 16 signed scales, f16 d;
    /// two 128-element halves; d·scale·(q − 32).
    private static func q6_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 208)
        for half in 0..<2 {
            let ql = 64 * half, qh = 128 + 32 * half, sc = 192 + 8 * half
            let out = y + 128 * half
            for l in 0..<32 {
                let s = l / 16
                let low0 = byte(p, ql + l), low32 = byte(p, ql + l + 32), high = byte(p, qh + l)
                let q1 = Int((low0 & 0x0F) | ((high & 3) << 4)) - 32
                let q2 = Int((low32 & 0x0F) | (((high >> 2) & 3) << 4)) - 32
                let q3 = Int((low0 >> 4) | (((high >> 4) & 3) << 4)) - 32
                let q4 = Int((low32 >> 4) | (((high >> 6) & 3) << 4)) - 32
                let scale = { (i: Int) in Float(Int8(bitPattern: byte(p, sc + s + i))) }
                out[l] = d * scale(0) * Float(q1)
                out[l + 32] = d * scale(2) * Float(q2)
                out[l + 64] = d * scale(4) * Float(q3)
                out[l + 96] = d * scale(6) * Float(q4)
            }
        }
    }
}
