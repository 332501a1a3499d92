import Foundation

/// The header of a GGUF file (versions 2 and 3): metadata, tensor infos and where the tensor data starts.
///
/// The file is treated as untrusted: every count and length is checked against ``GGUFLimits`` and against the
/// bytes actually present before anything is allocated; tensor offsets must be aligned, inside the file and
/// consistent with their type and shape. Failures are ``ModelFormatError``s naming the offset at fault.
public struct GGUFFile: Sendable {
    /// One tensor's description.
    public struct TensorInfo: Sendable, Hashable {
        public var name: String
        /// Dimensions, innermost first (ggml's `ne`).
        public var dimensions: [UInt64]
        public var type: GGMLType
        /// Offset of the data relative to ``GGUFFile/dataOffset``.
        public var offset: UInt64
        /// Bytes of data, when the type is known.
        public var byteCount: UInt64?

        public var elementCount: UInt64 { dimensions.reduce(1, *) }
    }

    public var version: UInt32
    /// Metadata in file order.
    public var metadata: [(key: String, value: GGUFValue)]
    public var tensors: [TensorInfo]
    public var alignment: UInt64
    /// Absolute offset of the tensor data section.
    public var dataOffset: UInt64
    public var fileSize: UInt64

    /// The value for `key`, if present.
    public subscript(key: String) -> GGUFValue? { metadata.first { $0.key == key }?.value }

    /// Reads the header of the file at `path`.
    public static func read(path: String, limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, limits: limits)
    }

    /// Parses a GGUF file from its bytes (the tensor data itself is not read, only checked to be present).
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
        var reader = ByteReader(bytes: bytes, limits: limits)
        let magic = try reader.u32("magic")
        guard magic == 0x4655_4747 else {
            throw ModelFormatError(.invalidMagic, "not a GGUF file: magic 0x\(String(magic, radix: 16)) at offset 0")
        }
        let version = try reader.u32("version")
        guard version == 2 || version == 3 else {
            throw ModelFormatError(.unsupportedVersion, "GGUF version \(version) is not supported (2 and 3 are)")
        }
        let tensorCount = try reader.u64("tensor count")
        let kvCount = try reader.u64("metadata count")
        guard kvCount <= limits.maxKeyValues else {
            throw ModelFormatError(.limitExceeded, "metadata count \(kvCount) exceeds the limit \(limits.maxKeyValues)")
        }
        guard tensorCount <= limits.maxTensors else {
            throw ModelFormatError(.limitExceeded, "tensor count \(tensorCount) exceeds the limit \(limits.maxTensors)")
        }
        var metadata: [(key: String, value: GGUFValue)] = []
        for index in 0..<kvCount {
            let key = try reader.string("key of metadata entry \(index)")
            let rawType = try reader.u32("type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw ModelFormatError(.malformed, "metadata '\(key)' has unknown type \(rawType) at offset \(reader.offset - 4)")
            }
            metadata.append((key, try reader.value(type, context: key, depth: 0)))
        }
        var alignment: UInt64 = 32
        if let value = metadata.first(where: { $0.key == "general.alignment" })?.value {
            guard let a = value.intValue, a > 0, a & (a - 1) == 0, a <= 1 << 16 else {
                throw ModelFormatError(.malformed, "general.alignment \(value) is not a power of two up to 65536")
            }
            alignment = UInt64(a)
        }
        var tensors: [TensorInfo] = []
        for index in 0..<tensorCount {
            let name = try reader.string("name of tensor \(index)")
            let dimensionCount = try reader.u32("dimension count of '\(name)'")
            guard dimensionCount >= 1, dimensionCount <= limits.maxDimensions else {
                throw ModelFormatError(.limitExceeded, "tensor '\(name)' has \(dimensionCount) dimensions (1...\(limits.maxDimensions) allowed)")
            }
            var dimensions: [UInt64] = []
            var elements: UInt64 = 1
            for _ in 0..<dimensionCount {
                let dimension = try reader.u64("dimension of '\(name)'")
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw ModelFormatError(.malformed, "tensor '\(name)' has too many elements") }
                elements = product
                dimensions.append(dimension)
            }
            let type = GGMLType(id: try reader.u32("type of '\(name)'"))
            let offset = try reader.u64("offset of '\(name)'")
            guard offset % alignment == 0 else {
                throw ModelFormatError(.malformed, "tensor '\(name)' offset \(offset) is not aligned to \(alignment)")
            }
            var byteCount: UInt64?
            if type.isKnown {
                guard let bytes = type.byteCount(elements: elements) else {
                    throw ModelFormatError(.malformed, "tensor '\(name)' of type \(type) has \(elements) elements, not whole blocks")
                }
                byteCount = bytes
            }
            tensors.append(TensorInfo(name: name, dimensions: dimensions, type: type, offset: offset, byteCount: byteCount))
        }
        let headerEnd = UInt64(reader.offset)
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        let fileSize = UInt64(bytes.count)
        var seen = Set<String>()
        for tensor in tensors {
            guard seen.insert(tensor.name).inserted else {
                throw ModelFormatError(.malformed, "tensor '\(tensor.name)' appears twice")
            }
            let (start, overflow) = dataOffset.addingReportingOverflow(tensor.offset)
            let (end, overflow2) = start.addingReportingOverflow(tensor.byteCount ?? 0)
            guard !overflow, !overflow2, end <= fileSize else {
                throw ModelFormatError(
                    .truncated,
                    "tensor '\(tensor.name)' data ends at \(overflow || overflow2 ? "overflow" : String(end)) beyond the file's \(fileSize) bytes"
                )
            }
        }
        return GGUFFile(version: version, metadata: metadata, tensors: tensors, alignment: alignment, dataOffset: dataOffset, fileSize: fileSize)
    }

    /// Reads only as much of the header as needed for `general.architecture` (for model discovery).
    public static func architecture(path: String) -> String? {
        (try? read(path: path))?["general.architecture"]?.stringValue
    }
}

/// Bounds-checked little-endian reads over untrusted bytes.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let limits: GGUFLimits
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, limits: GGUFLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    var remaining: Int { bytes.count - offset }

    mutating func need(_ count: UInt64, _ what: @autoclosure () -> String) throws {
        guard count <= UInt64(remaining) else {
            throw ModelFormatError(.truncated, "file ends at offset \(bytes.count) while reading \(what()) (\(count) bytes needed at offset \(offset))")
        }
        guard UInt64(offset) + count <= limits.maxHeaderBytes else {
            throw ModelFormatError(.limitExceeded, "header exceeds \(limits.maxHeaderBytes) bytes while reading \(what())")
        }
    }

    mutating func fixed<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try need(UInt64(MemoryLayout<T>.size), what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try fixed(UInt32.self, what()) }
    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try fixed(UInt64.self, what()) }

    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try u64("length of \(what())")
        guard length <= limits.maxStringBytes else {
            throw ModelFormatError(.limitExceeded, "string length \(length) of \(what()) exceeds \(limits.maxStringBytes) at offset \(offset - 8)")
        }
        try need(length, what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(length))])
        offset += Int(length)
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func value(_ type: GGUFValueType, context: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try fixed(UInt8.self, context))
        case .int8: return .int8(try fixed(Int8.self, context))
        case .uint16: return .uint16(try fixed(UInt16.self, context))
        case .int16: return .int16(try fixed(Int16.self, context))
        case .uint32: return .uint32(try fixed(UInt32.self, context))
        case .int32: return .int32(try fixed(Int32.self, context))
        case .float32: return .float32(Float(bitPattern: try fixed(UInt32.self, context)))
        case .bool:
            let byte = try fixed(UInt8.self, context)
            guard byte <= 1 else { throw ModelFormatError(.malformed, "'\(context)' has bool value \(byte) at offset \(offset - 1)") }
            return .bool(byte == 1)
        case .string: return .string(try string(context))
        case .uint64: return .uint64(try fixed(UInt64.self, context))
        case .int64: return .int64(try fixed(Int64.self, context))
        case .float64: return .float64(Double(bitPattern: try fixed(UInt64.self, context)))
        case .array:
            guard depth < limits.maxArrayNesting else {
                throw ModelFormatError(.limitExceeded, "'\(context)' nests arrays deeper than \(limits.maxArrayNesting)")
            }
            let rawType = try u32("element type of '\(context)'")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw ModelFormatError(.malformed, "'\(context)' has unknown element type \(rawType)")
            }
            let count = try u64("element count of '\(context)'")
            guard count <= limits.maxArrayElements else {
                throw ModelFormatError(.limitExceeded, "'\(context)' has \(count) elements (limit \(limits.maxArrayElements))")
            }
            // Each element needs at least one byte (8 for strings): refuse counts the file cannot hold before allocating.
            let minimum = UInt64(elementType.fixedSize ?? (elementType == .string ? 8 : 12))
            try need(count * minimum, "\(count) elements of '\(context)'")
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count { values.append(try value(elementType, context: context, depth: depth + 1)) }
            return .array(elementType, values)
        }
    }
}
