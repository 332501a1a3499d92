import Foundation
@testable import ModelFormats
import Testing

@Suite struct GGUFMalformedTests {
    /// A header with the given counts followed by `body` and `trailing` zero bytes.
    func file(tensors: UInt64 = 0, keyValues: UInt64 = 1, trailing: Int = 64, _ body: (inout ByteBuilder) -> Void) -> [UInt8] {
        var f = ByteBuilder()
        f.u32(0x4655_4747); f.u32(3); f.u64(tensors); f.u64(keyValues)
        body(&f)
        return f.bytes + [UInt8](repeating: 0, count: trailing)
    }

    /// Fails unless parsing `bytes` throws `code` within a fraction of a second.
    func expectFastError(_ bytes: [UInt8], _ code: ModelFormatError.Code, limits: GGUFLimits = GGUFLimits(), _ comment: Comment? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let clock = ContinuousClock()
        let start = clock.now
        let actual = errorCode { _ = try parseGGUF(bytes, limits: limits) }
        #expect(actual == code, comment, sourceLocation: sourceLocation)
        #expect(clock.now - start < .milliseconds(500), "took \(clock.now - start)", sourceLocation: sourceLocation)
    }

    @Test func everyTruncationIsATruncatedError() throws {
        let bytes = ByteBuilder.smallGGUF()
        _ = try parseGGUF(bytes)
        for length in 0..<bytes.count {
            #expect(errorCode { _ = try parseGGUF(Array(bytes[..<length])) } == .truncated, "prefix of \(length) bytes")
        }
    }

    @Test func wrongMagicAndVersions() {
        var bytes = ByteBuilder.smallGGUF()
        bytes[0] = UInt8(ascii: "X")
        expectFastError(bytes, .invalidMagic)
        expectFastError(ByteBuilder.smallGGUF(version: 1), .unsupportedVersion, "v1 has 32-bit counts")
        expectFastError(ByteBuilder.smallGGUF(version: 4), .unsupportedVersion)
        expectFastError(ByteBuilder.smallGGUF(version: UInt32(3).byteSwapped), .unsupportedVersion, "big-endian")
    }

    @Test func hugeCountsAndLengthsFailFastWithoutAllocating() {
        expectFastError(file(keyValues: UInt64.max) { _ in }, .limitExceeded, "metadata count")
        expectFastError(file(keyValues: 60_000) { _ in }, .truncated, "a count the file cannot hold")
        expectFastError(file(tensors: UInt64.max, keyValues: 0) { _ in }, .limitExceeded, "tensor count")
        expectFastError(file(tensors: 1 << 20, keyValues: 0) { _ in }, .truncated)
        expectFastError(file { $0.u64(UInt64.max) }, .limitExceeded, "key length")
        expectFastError(file { $0.u64(1 << 23) }, .truncated, "key length within limits but past the end")
        expectFastError(file { $0.string("k"); $0.u32(8); $0.u64(UInt64.max - 3) }, .limitExceeded, "string value length")
        expectFastError(file { $0.string("k"); $0.u32(9); $0.u32(10); $0.u64(UInt64.max) }, .limitExceeded, "array count")
        expectFastError(file { $0.string("k"); $0.u32(9); $0.u32(10); $0.u64(1 << 23) }, .truncated, "8M u64 elements in a tiny file")
        expectFastError(file { $0.string("k"); $0.u32(9); $0.u32(8); $0.u64(1 << 24) }, .truncated, "16M strings in a tiny file")
        expectFastError(file(tensors: 1, keyValues: 0) { $0.string("t"); $0.u32(UInt32.max) }, .limitExceeded, "dimension count")
        expectFastError(file(tensors: 1, keyValues: 0) { $0.u64(1 << 40) }, .limitExceeded, "tensor name length")
        // A 1 KB metadata budget: a 2000-byte string within the string limit still trips it.
        let limits = GGUFLimits(maxMetadataBytes: 1024)
        expectFastError(file { $0.string("k"); $0.u32(8); $0.string(String(repeating: "x", count: 2000)) }, .limitExceeded, limits: limits, "metadata byte budget")
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        func nested(_ depth: Int) -> [UInt8] {
            file { f in
                f.string("k"); f.u32(9)
                for _ in 0..<depth { f.u32(9); f.u64(1) }
                f.u32(4); f.u64(1); f.u32(7)
            }
        }
        #expect((try? parseGGUF(nested(4))) != nil)
        expectFastError(nested(5), .limitExceeded)
        expectFastError(nested(10_000), .limitExceeded)
    }

    @Test func malformedValuesAndTensorInfos() {
        expectFastError(file { $0.string("k"); $0.u32(13) }, .malformed, "unknown value type")
        expectFastError(file { $0.string("k"); $0.u32(7); $0.u8(2) }, .malformed, "bool byte 2")
        expectFastError(file(keyValues: 2) { $0.string("k"); $0.u32(0); $0.u8(1); $0.string("k"); $0.u32(0); $0.u8(1) }, .malformed, "duplicate key")
        expectFastError(file { $0.string("general.alignment"); $0.u32(4); $0.u32(48) }, .malformed, "alignment not a power of two")
        expectFastError(file { $0.string("general.alignment"); $0.u32(4); $0.u32(0) }, .malformed, "alignment zero")

        func tensorFile(_ infos: [(name: String, dims: [UInt64], type: UInt32, offset: UInt64)], data: Int) -> [UInt8] {
            var bytes = file(tensors: UInt64(infos.count), keyValues: 0, trailing: 0) { f in
                for info in infos {
                    f.string(info.name); f.u32(UInt32(info.dims.count))
                    for d in info.dims { f.u64(d) }
                    f.u32(info.type); f.u64(info.offset)
                }
                f.pad(to: 32)
            }
            bytes += [UInt8](repeating: 0, count: data)
            return bytes
        }
        #expect((try? parseGGUF(tensorFile([("a", [4], 0, 0), ("b", [4], 0, 32)], data: 48))) != nil)
        expectFastError(tensorFile([("a", [4], 0, 0), ("b", [4], 0, 32)], data: 47), .truncated, "second tensor ends past the file")
        expectFastError(tensorFile([("a", [4], 0, 0), ("b", [4], 0, 8)], data: 64), .malformed, "misaligned offset")
        expectFastError(tensorFile([("a", [16], 0, 0), ("b", [4], 0, 32)], data: 64), .malformed, "overlap")
        expectFastError(tensorFile([("a", [4], 0, 0), ("a", [4], 0, 32)], data: 64), .malformed, "duplicate name")
        expectFastError(tensorFile([("a", [33, 1], 2, 0)], data: 64), .malformed, "Q4_0 row of 33 elements")
        expectFastError(tensorFile([("a", [1 << 62, 1 << 62], 0, 0)], data: 64), .malformed, "element count overflow")
        expectFastError(tensorFile([("a", [1 << 40, 1 << 20], 0, 0)], data: 64), .truncated, "size within Int64 but past the file")
        expectFastError(tensorFile([("a", [4], 0, UInt64.max - 31)], data: 64), .truncated, "offset overflow")
        expectFastError(tensorFile([("a", [4], 0, 1 << 40)], data: 64), .truncated, "offset past the file")
        // An unknown type is kept (newer files) but unsized.
        let unknown = try? parseGGUF(tensorFile([("a", [4], 999, 0)], data: 32))
        #expect(unknown?.tensors.first?.byteCount == nil)
        #expect(unknown?.tensors.first?.type.name == "unknown(999)")
        #expect(throws: ModelFormatError.self) { try unknown?.requireKnownTensorTypes() }
    }

    @Test func errorsNameTheOffsetAndValue() throws {
        do {
            _ = try parseGGUF(file { $0.string("key"); $0.u32(7); $0.u8(9) })
            Issue.record("expected an error")
        } catch let error as ModelFormatError {
            #expect(error.message.contains("'key'"))
            #expect(error.message.contains("offset 39"))
            #expect(error.message.contains("9"))
        }
    }

    @Test func architectureProbeReadsOnlyTheStart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        // The architecture comes first; everything after it is garbage the probe must not need.
        var bytes = file(keyValues: 2) { f in f.string("general.architecture"); f.u32(8); f.string("qwen2"); f.string("x"); f.u32(99) }
        bytes += [UInt8](repeating: 0xFF, count: 100)
        let path = dir.file("probe.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try GGUFFile.readArchitecture(path: path) == "qwen2")
        #expect(GGUFFile.architecture(path: path) == "qwen2")
        #expect(GGUFFile.architecture(path: dir.file("missing.gguf")) == nil)
        #expect(errorCode { _ = try GGUFFile.read(path: path) } == .malformed)
    }
}

extension GGUFMalformedTests {
    @Test func unboundedLimitsStillCannotOverflowOrOverAllocate() {
        let open = GGUFLimits(
            maxKeyValues: .max, maxTensors: .max, maxStringBytes: .max, maxTensorNameBytes: .max,
            maxArrayElements: .max, maxArrayNesting: 8, maxDimensions: 8, maxMetadataBytes: .max
        )
        expectFastError(file(tensors: .max, keyValues: .max) { _ in }, .truncated, limits: open)
        expectFastError(file { $0.string("k"); $0.u32(9); $0.u32(10); $0.u64(.max) }, .truncated, limits: open)
        expectFastError(file { $0.string("k"); $0.u32(9); $0.u32(8); $0.u64(.max / 4) }, .truncated, limits: open)
        expectFastError(file { $0.string("k"); $0.u32(8); $0.u64(.max) }, .truncated, limits: open)
    }
}
