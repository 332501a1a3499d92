import Foundation
import Inference
@testable import ModelFormats
import Testing

@Suite struct GGUFFileTests {
    func parse(_ bytes: [UInt8], limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
        try bytes.withUnsafeBytes { try GGUFFile.parse($0, limits: limits) }
    }

    @Test(arguments: [UInt32(2), 3])
    func readsEveryValueTypeAndTensorInfos(_ version: UInt32) throws {
        let file = try parse(GGUFTestFile.sample(version: version))
        #expect(file.version == version)
        #expect(file["general.architecture"] == .string("llama"))
        #expect(file["t.u8"] == .uint8(200))
        #expect(file["t.i8"] == .int8(-1))
        #expect(file["t.u16"] == .uint16(0x1234))
        #expect(file["t.i16"] == .int16(-2))
        #expect(file["t.i32"] == .int32(-7))
        #expect(file["t.f32"] == .float32(1.5))
        #expect(file["t.bool"] == .bool(true))
        #expect(file["llama.context_length"] == .uint64(2048))
        #expect(file["t.i64+f64"] == .array(.float64, [.float64(2.25), .float64(-1)]))
        #expect(file["tokenizer.ggml.tokens"] == .array(.array, [.array(.string, [.string("a"), .string("b")]), .array(.int64, [.int64(-5)])]))
        #expect(file.tensors.map(\.name) == ["blk.0.w", "blk.0.v"])
        #expect(file.tensors[1].dimensions == [2, 2])
        #expect(file.tensors[1].byteCount == 16)
        #expect(file.alignment == 32)
        #expect(file.dataOffset % 32 == 0)
        let info = file.modelInfo(id: "x")
        #expect(info.architecture == "llama")
        #expect(info.layers == 3)
        #expect(info.hiddenSize == 8)
        #expect(info.contextLength == 2048)
        #expect(info.vocabSize == 2)
        #expect(info.quantization == "Q4_1")
        #expect(info.quantizationBits == 4)
        #expect(info.quantizationGroupSize == 32)
    }

    @Test func everyTruncationIsAClearError() throws {
        let bytes = GGUFTestFile.sample()
        for length in 0..<bytes.count {
            #expect(throws: ModelFormatError.self, "prefix of \(length) bytes") { try parse(Array(bytes[..<length])) }
        }
    }

    @Test func wrongMagicAndVersion() throws {
        var bytes = GGUFTestFile.sample()
        bytes[0] = 0x00
        #expect { try parse(bytes) } throws: { ($0 as? ModelFormatError)?.code == .invalidMagic }
        bytes = GGUFTestFile.sample(version: 1)
        #expect { try parse(bytes) } throws: { ($0 as? ModelFormatError)?.code == .unsupportedVersion }
    }

    @Test func hugeCountsFailFastWithoutAllocating() throws {
        // Tensor count, metadata count, string length and array length each set to enormous values.
        var f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(UInt64.max); f.u64(1)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .limitExceeded }
        f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(0); f.u64(1); f.u64(1 << 62)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .limitExceeded }
        f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(0); f.u64(1); f.string("k"); f.u32(9); f.u32(8); f.u64(10_000_000)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .truncated }
        f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(0); f.u64(1); f.string("k"); f.u32(9); f.u32(0); f.u64(UInt64.max)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .limitExceeded }
    }

    @Test func tensorOutsideTheFileOrMisalignedIsRejected() throws {
        var f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(1); f.u64(0)
        f.string("t"); f.u32(1); f.u64(1 << 40); f.u32(0); f.u64(0)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .truncated }
        f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(1); f.u64(0)
        f.string("t"); f.u32(1); f.u64(4); f.u32(0); f.u64(3)
        #expect { try parse(f.bytes + Array(repeating: 0, count: 64)) } throws: { ($0 as? ModelFormatError)?.message.contains("aligned") == true }
        f = GGUFTestFile()
        f.u32(0x4655_4747); f.u32(3); f.u64(1); f.u64(0)
        f.string("t"); f.u32(9); f.u64(4); f.u32(0); f.u64(0)
        #expect { try parse(f.bytes) } throws: { ($0 as? ModelFormatError)?.code == .limitExceeded }
    }

    @Test func fuzzedCopiesNeverCrash() throws {
        // Deterministic mutations of a valid file: byte flips, truncations, inserted huge lengths.
        var generator = SplitMix64(seed: 0x5EED)
        let original = GGUFTestFile.sample()
        var parsed = 0
        var rejected = 0
        for _ in 0..<5000 {
            var bytes = original
            switch generator.next() % 3 {
            case 0:
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            case 1:
                bytes = Array(bytes[..<Int(generator.next() % UInt64(bytes.count))])
            default:
                let at = Int(generator.next() % UInt64(bytes.count - 8))
                withUnsafeBytes(of: (UInt64(1) << (generator.next() % 64)).littleEndian) { huge in
                    for i in 0..<8 { bytes[at + i] = huge[i] }
                }
            }
            do {
                _ = try parse(bytes)
                parsed += 1
            } catch is ModelFormatError {
                rejected += 1
            }
        }
        #expect(parsed + rejected == 5000)
        #expect(rejected > 1000, "mutations should mostly be caught")
    }

    @Test func theRealDefaultModel() throws {
        let path = MLPathsForTests.defaultModel
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("the default model is missing at \(path): run scripts/setup")
            return
        }
        let file = try GGUFFile.read(path: path)
        // Header counts checked independently with Python's struct module: v3, 272 tensors, 33 metadata entries.
        #expect(file.version == 3)
        #expect(file.tensors.count == 272)
        #expect(file.metadata.count == 33)
        let info = file.modelInfo(id: "smol")
        // SmolLM2-135M: a llama-architecture model with 30 layers, width 576, 49,152 tokens, 8,192 context.
        #expect(info.architecture == "llama")
        #expect(info.layers == 30)
        #expect(info.hiddenSize == 576)
        #expect(info.vocabSize == 49_152)
        #expect(info.contextLength == 8192)
        #expect(info.quantization == "Q4_1")
        #expect(file.tensors.first { $0.name == "blk.0.attn_q.weight" }?.dimensions == [576, 576])
        #expect(GGUFFile.architecture(path: path) == "llama")
    }

    @Test func fuzzedCopiesOfTheRealHeaderNeverCrash() throws {
        let path = MLPathsForTests.defaultModel
        guard let handle = FileHandle(forReadingAtPath: path), let header = try handle.read(upToCount: 1 << 20) else {
            Issue.record("the default model is missing at \(path): run scripts/setup")
            return
        }
        try handle.close()
        var generator = SplitMix64(seed: 42)
        let original = [UInt8](header)
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<8 { bytes[Int(generator.next() % 4096)] = UInt8(truncatingIfNeeded: generator.next()) }
            // A 1 MiB prefix is truncated anyway: every outcome must be a clean error.
            #expect(throws: ModelFormatError.self) { try parse(bytes) }
        }
    }
}

/// A small deterministic random generator for fuzzing.
struct SplitMix64: RandomNumberGenerator {
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

enum MLPathsForTests {
    static var defaultModel: String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["SWIFT_ML_HOME"] ?? (NSHomeDirectory() + "/.cache/swift-ml")
        return environment["SWIFT_ML_MODEL"] ?? home + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }
}
