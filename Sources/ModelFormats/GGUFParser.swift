import Foundation

/// Parses and validates GGUF headers over untrusted bytes (see ``GGUFFile``).
struct GGUFParser {
    private var reader: ByteReader
    private let limits: GGUFLimits

    init(bytes: UnsafeRawBufferPointer, limits: GGUFLimits) {
        reader = ByteReader(bytes: bytes, budget: limits.maxMetadataBytes)
        self.limits = limits
    }

    private var fileSize: Int { reader.bytes.count }

    /// Magic, version and the two counts, checked against the limits and against what the file can hold.
    private mutating func parsePreamble() throws -> (version: UInt32, tensorCount: UInt64, keyValueCount: UInt64) {
        let magic = try reader.u32("magic")
        guard magic == GGUFFile.magic else {
            let hex = (0..<4).map { String(format: "%02x", reader.bytes[$0]) }.joined(separator: " ")
            throw ModelFormatError(.invalidMagic, "not a GGUF file: bytes 0-3 are \(hex), expected 47 47 55 46 (\"GGUF\")")
        }
        let version = try reader.u32("version")
        guard version == 2 || version == 3 else {
            if version == 1 {
                throw ModelFormatError(.unsupportedVersion, "GGUF version 1 (32-bit counts) is not supported; versions 2 and 3 are")
            }
            if version.byteSwapped == 2 || version.byteSwapped == 3 {
                throw ModelFormatError(.unsupportedVersion, "big-endian GGUF (version \(version.byteSwapped) byte-swapped) is not supported")
            }
            throw ModelFormatError(.unsupportedVersion, "GGUF version \(version) at offset 4 is not supported; versions 2 and 3 are")
        }
        let tensorCount = try reader.u64("tensor count")
        let keyValueCount = try reader.u64("metadata count")
        guard keyValueCount <= limits.maxKeyValues else {
            throw ModelFormatError(.limitExceeded, "metadata count \(keyValueCount) at offset 16 exceeds the limit of \(limits.maxKeyValues)")
        }
        guard tensorCount <= limits.maxTensors else {
            throw ModelFormatError(.limitExceeded, "tensor count \(tensorCount) at offset 8 exceeds the limit of \(limits.maxTensors)")
        }
        // A key/value takes at least 13 bytes, a tensor info 24: refuse counts the file cannot hold.
        let (minimum, overflow) = saturating(keyValueCount, 13).addingReportingOverflow(saturating(tensorCount, 24))
        try reader.need(overflow ? .max : minimum, "\(keyValueCount) metadata entries and \(tensorCount) tensor infos")
        return (version, tensorCount, keyValueCount)
    }

    mutating func parseFile() throws -> GGUFFile {
        let (version, tensorCount, keyValueCount) = try parsePreamble()

        var metadata: [GGUFKeyValue] = []
        metadata.reserveCapacity(Int(keyValueCount))
        var keys = Set<String>()
        for index in 0..<keyValueCount {
            let start = reader.offset
            let key = try reader.ggufString(maxLength: limits.maxStringBytes, "key of metadata entry \(index)")
            guard keys.insert(key).inserted else {
                throw ModelFormatError(.malformed, "metadata key '\(key)' at offset \(start) appears twice")
            }
            let type = try valueType("value type of '\(key)'")
            metadata.append(GGUFKeyValue(key, try value(type, context: key, depth: 0)))
        }

        var alignment = GGUFFile.defaultAlignment
        if let value = metadata.first(where: { $0.key == "general.alignment" })?.value {
            guard let a = value.intValue, a > 0, a & (a - 1) == 0, a <= 1 << 30 else {
                throw ModelFormatError(.malformed, "general.alignment \(value) is not a power of two between 1 and 2^30")
            }
            alignment = UInt64(a)
        }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(Int(tensorCount))
        var names = Set<String>()
        for index in 0..<tensorCount {
            tensors.append(try tensorInfo(index: index, alignment: alignment, names: &names))
        }

        let headerEnd = UInt64(reader.offset)
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        try validatePlacement(tensors, dataOffset: dataOffset)
        return GGUFFile(
            version: version, metadata: metadata, tensors: tensors, alignment: alignment,
            dataOffset: dataOffset, fileSize: UInt64(fileSize)
        )
    }

    /// Skims the metadata for `key` without building other values.
    mutating func findStringValue(forKey key: String) throws -> String? {
        let (_, _, keyValueCount) = try parsePreamble()
        for index in 0..<keyValueCount {
            let current = try reader.ggufString(maxLength: limits.maxStringBytes, "key of metadata entry \(index)")
            let type = try valueType("value type of '\(current)'")
            if current == key {
                guard type == .string else { return nil }
                return try reader.ggufString(maxLength: limits.maxStringBytes, "value of '\(current)'")
            }
            try skipValue(type, context: current, depth: 0)
        }
        return nil
    }

    private mutating func valueType(_ what: @autoclosure () -> String) throws -> GGUFValueType {
        let start = reader.offset
        let raw = try reader.u32(what())
        guard let type = GGUFValueType(rawValue: raw) else {
            throw ModelFormatError(.malformed, "\(what()) at offset \(start) is \(raw), not a GGUF value type (0-12)")
        }
        return type
    }

    private mutating func value(_ type: GGUFValueType, context: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.fixed(UInt8.self, context))
        case .int8: return .int8(try reader.fixed(Int8.self, context))
        case .uint16: return .uint16(try reader.fixed(UInt16.self, context))
        case .int16: return .int16(try reader.fixed(Int16.self, context))
        case .uint32: return .uint32(try reader.fixed(UInt32.self, context))
        case .int32: return .int32(try reader.fixed(Int32.self, context))
        case .float32: return .float32(Float(bitPattern: try reader.u32(context)))
        case .bool: return .bool(try bool(context))
        case .string: return .string(try reader.ggufString(maxLength: limits.maxStringBytes, "value of '\(context)'"))
        case .uint64: return .uint64(try reader.u64(context))
        case .int64: return .int64(try reader.fixed(Int64.self, context))
        case .float64: return .float64(Double(bitPattern: try reader.u64(context)))
        case .array: return .array(try array(context: context, depth: depth))
        }
    }

    private mutating func bool(_ context: String) throws -> Bool {
        let byte = try reader.u8(context)
        guard byte <= 1 else {
            throw ModelFormatError(.malformed, "'\(context)' has bool byte \(byte) at offset \(reader.offset - 1) (0 or 1 expected)")
        }
        return byte == 1
    }

    /// Element type and count of an array, checked before anything is allocated.
    private mutating func arrayHeader(context: String, depth: Int) throws -> (GGUFValueType, Int) {
        let elementType = try valueType("element type of array '\(context)'")
        if elementType == .array, depth + 1 > limits.maxArrayNesting {
            throw ModelFormatError(.limitExceeded, "array '\(context)' nests arrays deeper than \(limits.maxArrayNesting) levels at offset \(reader.offset - 4)")
        }
        let start = reader.offset
        let count = try reader.u64("element count of array '\(context)'")
        guard count <= limits.maxArrayElements else {
            throw ModelFormatError(.limitExceeded, "array '\(context)' at offset \(start) has \(count) elements, above the limit of \(limits.maxArrayElements)")
        }
        try reader.need(saturating(count, UInt64(elementType.minimumSize)), "\(count) \(elementType) elements of array '\(context)'")
        return (elementType, Int(count))
    }

    private mutating func array(context: String, depth: Int) throws -> GGUFArray {
        let (elementType, count) = try arrayHeader(context: context, depth: depth)
        switch elementType {
        case .uint8: return .uint8(try numbers(count, UInt8.self, context) { $0 })
        case .int8: return .int8(try numbers(count, Int8.self, context) { $0 })
        case .uint16: return .uint16(try numbers(count, UInt16.self, context) { $0 })
        case .int16: return .int16(try numbers(count, Int16.self, context) { $0 })
        case .uint32: return .uint32(try numbers(count, UInt32.self, context) { $0 })
        case .int32: return .int32(try numbers(count, Int32.self, context) { $0 })
        case .float32: return .float32(try numbers(count, UInt32.self, context) { Float(bitPattern: $0) })
        case .uint64: return .uint64(try numbers(count, UInt64.self, context) { $0 })
        case .int64: return .int64(try numbers(count, Int64.self, context) { $0 })
        case .float64: return .float64(try numbers(count, UInt64.self, context) { Double(bitPattern: $0) })
        case .bool:
            var values: [Bool] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try bool(context)) }
            return .bool(values)
        case .string:
            var values: [String] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                values.append(try reader.ggufString(maxLength: limits.maxStringBytes, "element \(index) of '\(context)'"))
            }
            return .string(values)
        case .array:
            var values: [GGUFArray] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try array(context: context, depth: depth + 1)) }
            return .array(values)
        }
    }

    private mutating func numbers<Raw: FixedWidthInteger, T>(
        _ count: Int, _ raw: Raw.Type, _ context: String, _ convert: (Raw) -> T
    ) throws -> [T] {
        let bytes = try reader.slice(UInt64(count * MemoryLayout<Raw>.size), "elements of '\(context)'")
        return (0..<count).map { convert(Raw(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Raw>.size, as: Raw.self))) }
    }

    private mutating func skipValue(_ type: GGUFValueType, context: String, depth: Int) throws {
        if let size = type.fixedSize {
            try reader.skip(UInt64(size), context)
        } else if type == .string {
            _ = try reader.ggufString(maxLength: limits.maxStringBytes, "value of '\(context)'")
        } else {
            let (elementType, count) = try arrayHeader(context: context, depth: depth)
            if let size = elementType.fixedSize {
                try reader.skip(UInt64(count * size), "elements of '\(context)'")
            } else {
                for _ in 0..<count { try skipValue(elementType, context: context, depth: depth + 1) }
            }
        }
    }

    private mutating func tensorInfo(index: UInt64, alignment: UInt64, names: inout Set<String>) throws -> GGUFTensorInfo {
        let start = reader.offset
        let name = try reader.ggufString(maxLength: limits.maxTensorNameBytes, "name of tensor \(index)")
        guard names.insert(name).inserted else {
            throw ModelFormatError(.malformed, "tensor name '\(name)' at offset \(start) appears twice")
        }
        let dimensionCount = try reader.u32("dimension count of tensor '\(name)'")
        guard dimensionCount <= limits.maxDimensions else {
            throw ModelFormatError(.limitExceeded, "tensor '\(name)' has \(dimensionCount) dimensions at offset \(reader.offset - 4), above the limit of \(limits.maxDimensions)")
        }
        var dimensions: [UInt64] = []
        var elements: UInt64 = 1
        for axis in 0..<Int(dimensionCount) {
            let dimension = try reader.u64("dimension \(axis) of tensor '\(name)'")
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard dimension <= UInt64(Int64.max), !overflow, product <= UInt64(Int64.max) else {
                throw ModelFormatError(.malformed, "tensor '\(name)' dimension \(axis) = \(dimension) at offset \(reader.offset - 8) overflows the element count")
            }
            elements = product
            dimensions.append(dimension)
        }
        let typeOffset = reader.offset
        let type = GGMLType(id: try reader.u32("type of tensor '\(name)'"))
        var byteCount: UInt64?
        if let blockSize = type.blockSize {
            let rowLength = dimensions.first ?? 1
            guard rowLength % UInt64(blockSize) == 0, let bytes = type.byteCount(elements: elements) else {
                throw ModelFormatError(
                    .malformed,
                    "tensor '\(name)' of type \(type) (at offset \(typeOffset)) has rows of \(rowLength) elements, not whole blocks of \(blockSize)"
                )
            }
            byteCount = bytes
        }
        let offset = try reader.u64("data offset of tensor '\(name)'")
        guard offset % alignment == 0 else {
            throw ModelFormatError(.malformed, "tensor '\(name)' data offset \(offset) (at offset \(reader.offset - 8)) is not a multiple of the alignment \(alignment)")
        }
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset, byteCount: byteCount)
    }

    /// Tensor data must lie inside the file and not overlap.
    private func validatePlacement(_ tensors: [GGUFTensorInfo], dataOffset: UInt64) throws {
        guard !tensors.isEmpty else { return }
        let size = UInt64(fileSize)
        guard dataOffset <= size else {
            throw ModelFormatError(.truncated, "the data section starts at offset \(dataOffset), past the end of the \(size)-byte file")
        }
        let available = size - dataOffset
        for tensor in tensors {
            let (end, overflow) = tensor.offset.addingReportingOverflow(tensor.byteCount ?? 0)
            guard !overflow, end <= available else {
                throw ModelFormatError(
                    .truncated,
                    "tensor '\(tensor.name)' data [\(tensor.offset), \(overflow ? "overflow" : String(end))) relative to the data section at \(dataOffset) extends past the end of the \(size)-byte file"
                )
            }
        }
        let sorted = tensors.sorted { ($0.offset, $0.byteCount ?? 0) < ($1.offset, $1.byteCount ?? 0) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.offset + (previous.byteCount ?? 0) > next.offset {
            throw ModelFormatError(
                .malformed,
                "tensor '\(previous.name)' data [\(previous.offset), \(previous.offset + (previous.byteCount ?? 0))) overlaps tensor '\(next.name)' at \(next.offset)"
            )
        }
    }
}

/// `a × b`, or `UInt64.max` on overflow (for "can the file hold this many?" checks with caller-raised limits).
private func saturating(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? .max : product
}
