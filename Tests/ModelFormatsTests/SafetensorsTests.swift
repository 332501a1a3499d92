import Foundation
@testable import ModelFormats
import Testing

@Suite struct SafetensorsTests {
    @Test func roundTripOfEveryDTypeWithMetadataAndStreaming() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("model.safetensors")
        var rng = SeededRandom(seed: 7)
        var tensors: [(SafetensorsWriter.Tensor, [UInt8])] = []
        for (index, dtype) in SafetensorsDType.allCases.enumerated() {
            let shape: [UInt64] = [UInt64(index % 3 + 1), 3]
            let count = Int(shape.reduce(1, *)) * dtype.size
            tensors.append((.init(name: "t.\(dtype.rawValue)", dtype: dtype, shape: shape), (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        }
        tensors.append((.init(name: "scalar", dtype: .f32, shape: []), [Float(3)].bytes))
        tensors.append((.init(name: "empty", dtype: .f16, shape: [0, 4]), []))
        let metadata = ["format": "pt", "note": "quote \" backslash \\ newline \n ünï"]

        let writer = try SafetensorsWriter(path: path, metadata: metadata, tensors: tensors.map(\.0))
        let all = tensors.flatMap(\.1)
        for start in stride(from: 0, to: all.count, by: 5) { try writer.write(Array(all[start..<min(start + 5, all.count)])) }
        try writer.finish()

        let reader = try SafetensorsReader(path: path)
        #expect(reader.file.metadata == metadata)
        #expect(reader.file.dataOffset % 8 == 0, "header padded to 8 bytes")
        #expect(reader.file.tensors.count == tensors.count)
        for (declared, bytes) in tensors {
            let info = try #require(reader.file.tensor(named: declared.name))
            #expect(info.dtype == declared.dtype)
            #expect(info.shape == declared.shape)
            #expect(try reader.data(of: info) == bytes, "data of \(declared.name)")
        }
    }

    @Test func readsAHandBuiltFile() throws {
        let file = try parseSafetensors(ByteBuilder.smallSafetensors())
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.map(\.name) == ["w", "b"])
        #expect(file.tensors[0].shape == [2, 3])
        #expect(file.tensors[1].dtype == .bf16)
        #expect(file.tensors[1].offset == 24)
        #expect(file.dataOffset == 8 + UInt64(ByteBuilder.smallSafetensors().count - 30 - 8))
    }

    @Test func nullMetadataAsMLXWritesItIsNoMetadata() throws {
        let file = try parseSafetensors(ByteBuilder.safetensors(
            json: #"{"__metadata__":null,"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataSize: 8))
        #expect(file.metadata.isEmpty)
        #expect(file.tensors.map(\.name) == ["w"])
        #expect(errorCode {
            _ = try parseSafetensors(ByteBuilder.safetensors(json: #"{"__metadata__":[1],"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataSize: 8))
        } == .malformed)
    }

    @Test func everyTruncationIsAnError() throws {
        let bytes = ByteBuilder.smallSafetensors()
        for length in 0..<bytes.count {
            let code = errorCode { _ = try parseSafetensors(Array(bytes[..<length])) }
            #expect(code == .truncated, "prefix of \(length) bytes")
        }
    }

    func expectError(_ json: String, dataSize: Int = 64, _ code: ModelFormatError.Code, _ comment: Comment? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(errorCode { _ = try parseSafetensors(ByteBuilder.safetensors(json: json, dataSize: dataSize)) } == code, comment, sourceLocation: sourceLocation)
    }

    @Test func offsetsShapesAndDTypesAreValidated() {
        let ok = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[8,16]}}"#
        #expect((try? parseSafetensors(ByteBuilder.safetensors(json: ok, dataSize: 16))) != nil)
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}}"#, .malformed, "overlap")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[60,68]}}"#, .truncated, "past the data section")
        expectError(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, .malformed, "shape × dtype ≠ bytes")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, .malformed, "begin after end")
        expectError(#"{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, .unsupported, "unknown dtype")
        expectError(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, .malformed, "negative dimension")
        expectError(#"{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, .malformed, "fractional dimension")
        expectError(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#, .malformed, "size overflow")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551616]}}"#, .malformed, "offset beyond UInt64")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, .malformed, "one offset")
        expectError(#"{"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}"#, .limitExceeded, "too many dimensions")
        expectError(#"{"__metadata__":{"n":1}}"#, .malformed, "non-string metadata")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, .malformed, "duplicate key")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, .malformed, "unterminated JSON")
        expectError(#"{"a":[]}"#, .malformed, "tensor not an object")
        expectError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x"#, .malformed, "trailing text")
        expectError(String(repeating: "[", count: 5000), .invalidMagic, "not an object")
        expectError("{\"a\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}", .malformed, "deep nesting")
        expectError("{\"\u{01}\":1}", .malformed, "control character")
    }

    @Test func headerLengthIsBounded() {
        var f = ByteBuilder()
        f.u64(UInt64.max)
        #expect(errorCode { _ = try parseSafetensors(f.bytes) } == .limitExceeded)
        f = ByteBuilder()
        f.u64(1_000_000)
        f.bytes += Array("{}".utf8)
        #expect(errorCode { _ = try parseSafetensors(f.bytes) } == .truncated)
        #expect(errorCode { _ = try parseSafetensors(ByteBuilder.smallSafetensors(), limits: SafetensorsLimits(maxHeaderBytes: 16)) } == .limitExceeded)
    }

    @Test func jsonStringsDecodeEscapesAndRefuseInvalidUTF8() throws {
        let text = #"{"a\u00e9\ud83d\ude00\n\"":"x\/y"}"#
        let value = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0, what: "test") }
        #expect(value.objectValue?.first?.key == "aé😀\n\"")
        #expect(value.objectValue?.first?.value.stringValue == "x/y")
        for bad in [#"{"\ud83d":1}"#, #"{"\x":1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":tru}"#] {
            #expect(errorCode { _ = try Array(bad.utf8).withUnsafeBytes { try JSONParser.parse($0, what: "test") } } == .malformed, "\(bad)")
        }
        let invalidUTF8: [UInt8] = [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]
        #expect(errorCode { _ = try invalidUTF8.withUnsafeBytes { try JSONParser.parse($0, what: "test") } } == .malformed)
    }
}
