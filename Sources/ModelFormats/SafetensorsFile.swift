import Foundation
import JSONValues

/// The header of a safetensors file: an 8-byte little-endian header length, a JSON object mapping tensor
/// names to `dtype`, `shape` and `data_offsets` (plus optional string-to-string `__metadata__`), then the data.
///
/// The file is treated as untrusted: the header size is bounded, the JSON parsed strictly (duplicate keys and
/// invalid UTF-8 refused), and every tensor's byte count must equal dtype size × elements (without overflow),
/// lie inside the data section and not overlap another. Use ``SafetensorsReader`` for tensor data.
public struct SafetensorsFile: Sendable {
    /// `__metadata__`.
    public var metadata: [String: String]
    /// Tensors ordered by data offset.
    public var tensors: [SafetensorsTensorInfo]
    /// Absolute offset of the data section (8 + header length).
    public var dataOffset: UInt64
    public var fileSize: UInt64

    private var tensorIndex: [String: Int]

    init(metadata: [String: String], tensors: [SafetensorsTensorInfo], dataOffset: UInt64, fileSize: UInt64) {
        self.metadata = metadata
        self.tensors = tensors
        self.dataOffset = dataOffset
        self.fileSize = fileSize
        tensorIndex = Dictionary(tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tensor named `name`, if present.
    public func tensor(named name: String) -> SafetensorsTensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// Reads and validates the header of the file at `path` (memory-mapped: only the header's pages are read).
    public static func read(path: String, limits: SafetensorsLimits = SafetensorsLimits()) throws -> SafetensorsFile {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, limits: limits)
    }

    /// Parses and validates a safetensors file from its bytes. Tensor data is only checked to lie inside them.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: SafetensorsLimits = SafetensorsLimits()) throws -> SafetensorsFile {
        var reader = ByteReader(bytes: bytes, budget: UInt64.max)
        let headerLength = try reader.u64("header length")
        guard headerLength <= limits.maxHeaderBytes else {
            throw ModelFormatError(.limitExceeded, "safetensors header length \(headerLength) exceeds the limit of \(limits.maxHeaderBytes) bytes")
        }
        guard headerLength >= 2 else {
            throw ModelFormatError(.malformed, "safetensors header length \(headerLength) is too small for a JSON object")
        }
        let header = try reader.slice(headerLength, "the \(headerLength)-byte JSON header")
        guard header.first == UInt8(ascii: "{") else {
            throw ModelFormatError(.invalidMagic, "not a safetensors file: the header at offset 8 does not start with '{'")
        }
        let json = try JSONParser.parse(header, what: "the safetensors header", baseOffset: 8, maxDepth: limits.maxJSONDepth,
                                      unsignedIntegersOnly: true)
        guard let entries = json.objectValue else {
            throw ModelFormatError(.malformed, "the safetensors header is not a JSON object")
        }
        guard entries.count <= limits.maxTensors + 1 else {
            throw ModelFormatError(.limitExceeded, "the safetensors header lists \(entries.count) entries, above the limit of \(limits.maxTensors) tensors")
        }
        let dataOffset = 8 + headerLength
        let dataSize = UInt64(bytes.count) - dataOffset

        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for (name, value) in entries {
            if name == "__metadata__" {
                // MLX (`mx.save_safetensors`, so every mlx_lm.lora checkpoint) writes `"__metadata__": null`.
                if case .null = value { continue }
                guard let fields = value.objectValue else {
                    throw ModelFormatError(.malformed, "__metadata__ is not a JSON object")
                }
                for (key, value) in fields {
                    guard let string = value.stringValue else {
                        throw ModelFormatError(.malformed, "__metadata__ value of '\(key)' is not a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            tensors.append(try tensorInfo(name: name, value, dataSize: dataSize, limits: limits))
        }
        tensors.sort { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (previous, next) in zip(tensors, tensors.dropFirst()) where previous.offset + previous.byteCount > next.offset {
            throw ModelFormatError(
                .malformed,
                "tensor '\(previous.name)' data [\(previous.offset), \(previous.offset + previous.byteCount)) overlaps tensor '\(next.name)' at \(next.offset)"
            )
        }
        return SafetensorsFile(metadata: metadata, tensors: tensors, dataOffset: dataOffset, fileSize: UInt64(bytes.count))
    }

    private static func tensorInfo(name: String, _ value: JSONValue, dataSize: UInt64, limits: SafetensorsLimits) throws -> SafetensorsTensorInfo {
        guard value.objectValue != nil else { throw ModelFormatError(.malformed, "tensor '\(name)' is not a JSON object") }
        guard let dtypeName = value["dtype"]?.stringValue else {
            throw ModelFormatError(.malformed, "tensor '\(name)' has no string dtype")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw ModelFormatError(.unsupported, "tensor '\(name)' has unknown dtype '\(dtypeName)'")
        }
        guard let shapeValues = value["shape"]?.arrayValue else {
            throw ModelFormatError(.malformed, "tensor '\(name)' has no shape array")
        }
        guard shapeValues.count <= limits.maxDimensions else {
            throw ModelFormatError(.limitExceeded, "tensor '\(name)' has \(shapeValues.count) dimensions, above the limit of \(limits.maxDimensions)")
        }
        var shape: [UInt64] = []
        var bytes = UInt64(dtype.size)
        var overflow = false
        for dimension in shapeValues {
            guard let d = dimension.uint64Value else {
                throw ModelFormatError(.malformed, "tensor '\(name)' shape has an entry that is not a non-negative integer")
            }
            shape.append(d)
            let (product, o) = bytes.multipliedReportingOverflow(by: d)
            bytes = product
            overflow = overflow || o
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].uint64Value, let end = offsets[1].uint64Value
        else {
            throw ModelFormatError(.malformed, "tensor '\(name)' data_offsets is not a pair of non-negative integers")
        }
        guard begin <= end else {
            throw ModelFormatError(.malformed, "tensor '\(name)' data_offsets [\(begin), \(end)] end before they begin")
        }
        guard end <= dataSize else {
            throw ModelFormatError(.truncated, "tensor '\(name)' data_offsets [\(begin), \(end)] extend past the \(dataSize)-byte data section")
        }
        guard !overflow, bytes == end - begin else {
            throw ModelFormatError(
                .malformed,
                "tensor '\(name)' holds \(end - begin) bytes but \(dtype) \(shape) needs \(overflow ? "more than 2^64" : String(bytes))"
            )
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, offset: begin, byteCount: end - begin)
    }
}
