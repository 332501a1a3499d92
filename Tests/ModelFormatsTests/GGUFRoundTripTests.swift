import Foundation
@testable import ModelFormats
import Testing

@Suite struct GGUFRoundTripTests {
    static let metadata: [GGUFKeyValue] = [
        GGUFKeyValue("general.architecture", .string("llama")),
        GGUFKeyValue("general.alignment", .uint32(64)),
        GGUFKeyValue("t.u8", .uint8(200)),
        GGUFKeyValue("t.i8", .int8(-100)),
        GGUFKeyValue("t.u16", .uint16(0xBEEF)),
        GGUFKeyValue("t.i16", .int16(-30_000)),
        GGUFKeyValue("t.u32", .uint32(0xDEAD_BEEF)),
        GGUFKeyValue("t.i32", .int32(-7)),
        GGUFKeyValue("t.f32", .float32(1.5)),
        GGUFKeyValue("t.bool", .bool(true)),
        GGUFKeyValue("t.string", .string("héllo\n\"wörld\" ✓")),
        GGUFKeyValue("t.empty", .string("")),
        GGUFKeyValue("t.u64", .uint64(UInt64.max)),
        GGUFKeyValue("t.i64", .int64(Int64.min)),
        GGUFKeyValue("t.f64", .float64(-2.25e300)),
        GGUFKeyValue("a.u8", .array(.uint8([1, 2, 255]))),
        GGUFKeyValue("a.i8", .array(.int8([-1, 0, 1]))),
        GGUFKeyValue("a.u16", .array(.uint16([1, 65535]))),
        GGUFKeyValue("a.i16", .array(.int16([-2, 2]))),
        GGUFKeyValue("a.u32", .array(.uint32([4_000_000_000]))),
        GGUFKeyValue("a.i32", .array(.int32([-5, 5, 0]))),
        GGUFKeyValue("a.f32", .array(.float32([0.5, -0.25, .infinity]))),
        GGUFKeyValue("a.bool", .array(.bool([true, false, true]))),
        GGUFKeyValue("a.string", .array(.string(["a", "", "ü", String(repeating: "x", count: 300)]))),
        GGUFKeyValue("a.u64", .array(.uint64([0, UInt64.max]))),
        GGUFKeyValue("a.i64", .array(.int64([Int64.min, Int64.max]))),
        GGUFKeyValue("a.f64", .array(.float64([1e-300, 3.0]))),
        GGUFKeyValue("a.empty", .array(.uint32([]))),
        GGUFKeyValue("a.nested", .array(.array([.int32([1, 2]), .string(["x", "y"]), .array([.float64([9.5])]), .bool([])]))),
    ]

    static let tensors: [(GGUFWriter.Tensor, [UInt8])] = [
        (.init(name: "f32.vector", dimensions: [3], type: .f32), [Float(1), 2, 3].bytes),
        (.init(name: "f16.matrix", dimensions: [4, 2], type: .f16), (0..<16).map { UInt8($0) }),
        (.init(name: "q4_0.matrix", dimensions: [32, 2], type: .q4_0), (0..<36).map { UInt8(100 + $0) }),
        (.init(name: "i8.vector", dimensions: [5], type: .i8), [1, 2, 3, 4, 5]),
        (.init(name: "scalar", dimensions: [], type: .f32), [Float(42)].bytes),
        (.init(name: "empty", dimensions: [0, 3], type: .f32), []),
        (.init(name: "bf16.cube", dimensions: [2, 2, 2], type: .bf16), (0..<16).map { UInt8(200 + $0) }),
    ]

    @Test(arguments: [UInt32(2), 3])
    func everyValueTypeArraysNestedArraysAndAlignmentRoundTrip(_ version: UInt32) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("model.gguf")
        let writer = try GGUFWriter(path: path, metadata: Self.metadata, tensors: Self.tensors.map(\.0), version: version)
        // Stream in 7-byte chunks that straddle tensor boundaries.
        let all = Self.tensors.flatMap(\.1)
        for start in stride(from: 0, to: all.count, by: 7) { try writer.write(Array(all[start..<min(start + 7, all.count)])) }
        #expect(!FileManager.default.fileExists(atPath: path), "the file appears only on finish")
        try writer.finish()

        let reader = try GGUFReader(path: path)
        let file = reader.file
        #expect(file.version == version)
        #expect(file.metadata == Self.metadata)
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.dataOffset == writer.dataOffset)
        #expect(file.tensors == writer.tensors)
        for (declared, bytes) in Self.tensors {
            let info = try #require(file.tensor(named: declared.name))
            #expect(info.dimensions == declared.dimensions)
            #expect(info.type == declared.type)
            #expect(info.offset % 64 == 0)
            #expect(info.byteCount == UInt64(bytes.count))
            #expect(try reader.data(of: info) == bytes, "data of \(declared.name)")
        }
        #expect(file["a.nested"]?.arrayValue?[2] == .array(.array([.float64([9.5])])))
        #expect(file["t.u64"]?.intValue == nil, "UInt64.max does not fit an Int")
        #expect(file["t.i8"]?.intValue == -100)
        #expect(file["a.string"]?.arrayValue?.strings?.count == 4)
        #expect(try GGUFFile.readArchitecture(path: path) == "llama")
        // The file ends with the last tensor's padding, as gguf-py writes it.
        #expect(file.fileSize % 64 == 0)
    }

    @Test func writerOutputMatchesAnIndependentlyBuiltFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("small.gguf")
        try GGUFWriter.write(
            path: path,
            metadata: [
                GGUFKeyValue("general.architecture", .string("llama")),
                GGUFKeyValue("llama.block_count", .uint32(3)),
                GGUFKeyValue("t.bool", .bool(true)),
                GGUFKeyValue("t.f64", .float64(2.5)),
                GGUFKeyValue("tokenizer.ggml.tokens", .array(.string(["a", "bc"]))),
                GGUFKeyValue("t.nested", .array(.array([.int32([-7]), .string(["x"])]))),
            ],
            tensors: [
                (.init(name: "blk.0.w", dimensions: [4], type: .f32), (0..<4).map(Float.init).bytes),
                (.init(name: "blk.0.v", dimensions: [2, 2], type: .f32), (10..<14).map(Float.init).bytes),
            ]
        )
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var expected = ByteBuilder.smallGGUF()
        while expected.count % 32 != 0 { expected.append(0) }
        #expect(written == expected)
    }

    @Test func readsTheSmallHandBuiltFile() throws {
        let file = try parseGGUF(ByteBuilder.smallGGUF())
        #expect(file.architecture == "llama")
        #expect(file["t.f64"] == .float64(2.5))
        #expect(file["t.nested"] == .array(.array([.int32([-7]), .string(["x"])])))
        #expect(file.tensors.map(\.name) == ["blk.0.w", "blk.0.v"])
        #expect(file.tensors[1].dimensions == [2, 2])
        #expect(file.tensors[1].shape == [2, 2])
        #expect(file.dataOffset % 32 == 0)
        let summary = file.summary
        #expect(summary.blockCount == 3)
        #expect(summary.vocabSize == 2)
        #expect(summary.quantization == "F32", "no general.file_type: the matrices' type")
        #expect(summary.parameterCount == 8)
    }

    @Test func writerRefusesWrongByteCountsAndLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("bad.gguf")
        let tensors = [GGUFWriter.Tensor(name: "w", dimensions: [2], type: .f32)]
        var writer = try GGUFWriter(path: path, metadata: [], tensors: tensors)
        try writer.write([0, 0, 0, 0])
        #expect(errorCode { try writer.finish() } == .invalidArgument)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

        writer = try GGUFWriter(path: path, metadata: [], tensors: tensors)
        #expect(errorCode { try writer.write([UInt8](repeating: 0, count: 9)) } == .invalidArgument)
        writer.cancel()
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

        #expect(errorCode { _ = try GGUFWriter(path: path, metadata: [], tensors: [.init(name: "q", dimensions: [33], type: .q4_0)]) } == .invalidArgument)
        #expect(errorCode { _ = try GGUFWriter(path: path, metadata: [], tensors: tensors + tensors) } == .invalidArgument)
        #expect(errorCode { _ = try GGUFWriter(path: path, metadata: [GGUFKeyValue("general.alignment", .uint32(48))], tensors: []) } == .invalidArgument)
        #expect(errorCode { _ = try GGUFWriter(path: path, metadata: [GGUFKeyValue("k", .bool(true)), GGUFKeyValue("k", .bool(false))], tensors: []) } == .invalidArgument)
    }

    @Test func abandonedWriterRemovesItsPartialFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("dropped.gguf")
        do {
            let writer = try GGUFWriter(path: path, metadata: [], tensors: [.init(name: "w", dimensions: [2], type: .f32)])
            try writer.write([1, 2, 3])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
