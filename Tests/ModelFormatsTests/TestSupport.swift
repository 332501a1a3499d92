import Foundation
@testable import ModelFormats
import Testing

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("formats-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Deterministic pseudo-random numbers (SplitMix64), so fuzz runs are reproducible.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds files byte by byte, independently of the writers under test.
struct ByteBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }
    mutating func pad(to alignment: Int) { while bytes.count % alignment != 0 { bytes.append(0) } }

    /// A valid GGUF v3 file: a few metadata types, a nested array, two F32 tensors (`[4]` and ne `[2, 2]`).
    static func smallGGUF(version: UInt32 = 3) -> [UInt8] {
        var f = ByteBuilder()
        f.u32(0x4655_4747); f.u32(version); f.u64(2); f.u64(6)
        f.string("general.architecture"); f.u32(8); f.string("llama")
        f.string("llama.block_count"); f.u32(4); f.u32(3)
        f.string("t.bool"); f.u32(7); f.u8(1)
        f.string("t.f64"); f.u32(12); f.u64(Double(2.5).bitPattern)
        f.string("tokenizer.ggml.tokens"); f.u32(9); f.u32(8); f.u64(2); f.string("a"); f.string("bc")
        f.string("t.nested"); f.u32(9); f.u32(9); f.u64(2)
        f.u32(5); f.u64(1); f.u32(UInt32(bitPattern: -7))
        f.u32(8); f.u64(1); f.string("x")
        f.string("blk.0.w"); f.u32(1); f.u64(4); f.u32(0); f.u64(0)
        f.string("blk.0.v"); f.u32(2); f.u64(2); f.u64(2); f.u32(0); f.u64(32)
        f.pad(to: 32)
        for i in 0..<4 { f.f32(Float(i)) }
        f.pad(to: 32)
        for i in 0..<4 { f.f32(Float(10 + i)) }
        return f.bytes
    }

    /// A valid safetensors file with a header `json` and `dataSize` bytes of data.
    static func safetensors(json: String, dataSize: Int) -> [UInt8] {
        var f = ByteBuilder()
        let header = Array(json.utf8)
        f.u64(UInt64(header.count))
        f.bytes += header
        f.bytes += [UInt8](repeating: 7, count: dataSize)
        return f.bytes
    }

    /// A valid safetensors file: an F32 `[2, 3]`, a BF16 `[3]`, and metadata.
    static func smallSafetensors() -> [UInt8] {
        safetensors(
            json: #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[24,30]}}"#,
            dataSize: 30
        )
    }
}

func parseGGUF(_ bytes: [UInt8], limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
    try bytes.withUnsafeBytes { try GGUFFile.parse($0, limits: limits) }
}

func parseSafetensors(_ bytes: [UInt8], limits: SafetensorsLimits = SafetensorsLimits()) throws -> SafetensorsFile {
    try bytes.withUnsafeBytes { try SafetensorsFile.parse($0, limits: limits) }
}

/// The code of the `ModelFormatError` that `body` throws (`nil` if it throws nothing or another error type).
func errorCode(_ body: () throws -> Void) -> ModelFormatError.Code? {
    do {
        try body()
        return nil
    } catch let error as ModelFormatError {
        return error.code
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

extension Array where Element == Float {
    var bytes: [UInt8] { withUnsafeBytes { [UInt8]($0) } }
}

extension Array where Element == UInt8 {
    /// Little-endian floats of the given dtype, as `Float`.
    func floats(_ dtype: SafetensorsDType) -> [Float] {
        withUnsafeBytes { raw in
            switch dtype {
            case .f32: return (0..<(count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            case .f16: return (0..<(count / 2)).map { FloatBits.halfToFloat(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) }
            case .bf16: return (0..<(count / 2)).map { FloatBits.bfloat16ToFloat(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) }
            default: return []
            }
        }
    }
}

/// Encodes floats in a dtype.
func encode(_ values: [Float], as dtype: SafetensorsDType) -> [UInt8] {
    var out: [UInt8] = []
    for v in values {
        switch dtype {
        case .f32: withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 }
        case .f16: withUnsafeBytes(of: FloatBits.floatToHalf(v).littleEndian) { out += $0 }
        case .bf16: withUnsafeBytes(of: FloatBits.floatToBFloat16(v).littleEndian) { out += $0 }
        default: break
        }
    }
    return out
}

/// `$SWIFT_ML_HOME` (default `~/.cache/swift-ml`).
var swiftMLHome: String {
    ProcessInfo.processInfo.environment["SWIFT_ML_HOME"]
        ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/swift-ml")
}
