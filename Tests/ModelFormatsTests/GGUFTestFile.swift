import Foundation

/// Builds small GGUF files byte by byte for tests (independent of the reader under test).
struct GGUFTestFile {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    /// A valid v3 file: every metadata type, a nested array, two F32 tensors and their data.
    static func sample(version: UInt32 = 3) -> [UInt8] {
        var f = GGUFTestFile()
        f.u32(0x4655_4747)
        f.u32(version)
        f.u64(2)  // tensors
        f.u64(14)  // metadata entries
        f.string("general.architecture"); f.u32(8); f.string("llama")
        f.string("llama.block_count"); f.u32(4); f.u32(3)
        f.string("llama.embedding_length"); f.u32(4); f.u32(8)
        f.string("llama.context_length"); f.u32(10); f.u64(2048)
        f.string("general.file_type"); f.u32(4); f.u32(3)
        f.string("t.u8"); f.u32(0); f.u8(200)
        f.string("t.i8"); f.u32(1); f.u8(0xFF)
        f.string("t.u16"); f.u32(2); f.u8(0x34); f.u8(0x12)
        f.string("t.i16"); f.u32(3); f.u8(0xFE); f.u8(0xFF)
        f.string("t.i32"); f.u32(5); f.u32(UInt32(bitPattern: -7))
        f.string("t.f32"); f.u32(6); f.u32(Float(1.5).bitPattern)
        f.string("t.bool"); f.u32(7); f.u8(1)
        f.string("t.i64+f64"); f.u32(9); f.u32(12); f.u64(2); f.u64(Double(2.25).bitPattern); f.u64(Double(-1).bitPattern)
        f.string("tokenizer.ggml.tokens"); f.u32(9); f.u32(9); f.u64(2)
        f.u32(8); f.u64(2); f.string("a"); f.string("b")
        f.u32(11); f.u64(1); f.u64(UInt64(bitPattern: -5))
        // Tensor infos: [4] F32 at 0 and [2, 2] F32 at 32.
        f.string("blk.0.w"); f.u32(1); f.u64(4); f.u32(0); f.u64(0)
        f.string("blk.0.v"); f.u32(2); f.u64(2); f.u64(2); f.u32(0); f.u64(32)
        while f.bytes.count % 32 != 0 { f.u8(0) }
        for i in 0..<4 { f.u32(Float(i).bitPattern) }
        while f.bytes.count % 32 != 0 { f.u8(0) }
        for i in 0..<4 { f.u32(Float(10 + i).bitPattern) }
        return f.bytes
    }
}
