/// Writes a GGUF v3 (or v2) file: the header first, then tensor data streamed in declaration order, each
/// tensor padded to the alignment (`general.alignment` if given as `uint32`, else 32).
///
/// Nothing but the header is held in memory. The file appears at `path` only when ``finish()`` succeeds;
/// a writer dropped or cancelled before that leaves nothing behind.
///
/// ```swift
/// let writer = try GGUFWriter(path: p, metadata: [GGUFKeyValue("general.architecture", .string("llama"))],
///                             tensors: [.init(name: "w", dimensions: [4, 2], type: .f32)])
/// try writer.write(bytes)   // any chunking; 32 bytes in all here
/// try writer.finish()
/// ```
public final class GGUFWriter: TensorFileWriter {
    /// A tensor to write: name, dimensions innermost first (ggml's `ne`), type.
    public struct Tensor: Sendable, Hashable {
        public var name: String
        public var dimensions: [UInt64]
        public var type: GGMLType

        public init(name: String, dimensions: [UInt64], type: GGMLType) {
            self.name = name
            self.dimensions = dimensions
            self.type = type
        }
    }

    public let path: String
    public let alignment: UInt64
    /// The tensor infos as written, with offsets relative to the data section.
    public let tensors: [GGUFTensorInfo]
    /// Absolute offset of the data section in the file.
    public private(set) var dataOffset: UInt64 = 0
    private let output: TensorFileOutput
    private var sink: FileSink { output.sink }

    /// Validates the declarations and writes the header.
    public init(path: String, metadata: [GGUFKeyValue], tensors: [Tensor], version: UInt32 = 3) throws {
        guard version == 2 || version == 3 else {
            throw ModelFormatError(.invalidArgument, "cannot write GGUF version \(version); 2 and 3 are supported")
        }
        var keys = Set<String>()
        var alignment = GGUFFile.defaultAlignment
        for entry in metadata {
            guard keys.insert(entry.key).inserted else {
                throw ModelFormatError(.invalidArgument, "metadata key '\(entry.key)' is given twice")
            }
            if entry.key == "general.alignment" {
                guard case .uint32(let a) = entry.value, a > 0, a & (a - 1) == 0 else {
                    throw ModelFormatError(.invalidArgument, "general.alignment must be a uint32 power of two, not \(entry.value)")
                }
                alignment = UInt64(a)
            }
        }
        var infos: [GGUFTensorInfo] = []
        var names = Set<String>()
        var offset: UInt64 = 0
        for tensor in tensors {
            guard names.insert(tensor.name).inserted else {
                throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' is declared twice")
            }
            guard tensor.dimensions.count <= 4 else {
                throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' has \(tensor.dimensions.count) dimensions; GGUF allows 4")
            }
            guard let blockSize = tensor.type.blockSize else {
                throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' has unknown ggml type \(tensor.type.id)")
            }
            var elements: UInt64 = 1
            for dimension in tensor.dimensions {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= UInt64(Int64.max) else {
                    throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' dimensions \(tensor.dimensions) overflow")
                }
                elements = product
            }
            guard (tensor.dimensions.first ?? 1) % UInt64(blockSize) == 0, let bytes = tensor.type.byteCount(elements: elements) else {
                throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' rows of \(tensor.dimensions.first ?? 1) are not whole \(tensor.type) blocks of \(blockSize)")
            }
            infos.append(GGUFTensorInfo(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type, offset: offset, byteCount: bytes))
            offset += (bytes + alignment - 1) / alignment * alignment
        }
        self.path = path
        self.alignment = alignment
        self.tensors = infos
        output = try TensorFileOutput(
            path: path, names: infos.map(\.name), sizes: infos.map { $0.byteCount ?? 0 }, alignment: alignment)

        try sink.writeLittleEndian(GGUFFile.magic)
        try sink.writeLittleEndian(version)
        try sink.writeLittleEndian(UInt64(infos.count))
        try sink.writeLittleEndian(UInt64(metadata.count))
        for entry in metadata {
            try writeString(entry.key)
            try sink.writeLittleEndian(entry.value.type.rawValue)
            try writeValue(entry.value)
        }
        for info in infos {
            try writeString(info.name)
            try sink.writeLittleEndian(UInt32(info.dimensions.count))
            for dimension in info.dimensions { try sink.writeLittleEndian(dimension) }
            try sink.writeLittleEndian(info.type.id)
            try sink.writeLittleEndian(info.offset)
        }
        let padding = (alignment - sink.offset % alignment) % alignment
        try sink.writeZeros(Int(padding))
        dataOffset = sink.offset
    }


    public func write(_ bytes: UnsafeRawBufferPointer) throws { try output.write(bytes) }
    public func finish() throws { try output.finish() }
    public func cancel() { output.cancel() }

    /// Writes a whole file whose tensor data is in memory (tests and small files).
    public static func write(path: String, metadata: [GGUFKeyValue], tensors: [(Tensor, [UInt8])], version: UInt32 = 3) throws {
        let writer = try GGUFWriter(path: path, metadata: metadata, tensors: tensors.map(\.0), version: version)
        for (_, bytes) in tensors { try writer.write(bytes) }
        try writer.finish()
    }

    private func writeString(_ string: String) throws {
        var string = string
        try string.withUTF8 { utf8 in
            try sink.writeLittleEndian(UInt64(utf8.count))
            try sink.write(UnsafeRawBufferPointer(utf8))
        }
    }

    private func writeValue(_ value: GGUFValue) throws {
        switch value {
        case .uint8(let v): try sink.writeLittleEndian(v)
        case .int8(let v): try sink.writeLittleEndian(v)
        case .uint16(let v): try sink.writeLittleEndian(v)
        case .int16(let v): try sink.writeLittleEndian(v)
        case .uint32(let v): try sink.writeLittleEndian(v)
        case .int32(let v): try sink.writeLittleEndian(v)
        case .float32(let v): try sink.writeLittleEndian(v.bitPattern)
        case .bool(let v): try sink.writeLittleEndian(UInt8(v ? 1 : 0))
        case .string(let v): try writeString(v)
        case .uint64(let v): try sink.writeLittleEndian(v)
        case .int64(let v): try sink.writeLittleEndian(v)
        case .float64(let v): try sink.writeLittleEndian(v.bitPattern)
        case .array(let array): try writeArray(array)
        }
    }

    private func writeArray(_ array: GGUFArray) throws {
        try sink.writeLittleEndian(array.elementType.rawValue)
        try sink.writeLittleEndian(UInt64(array.count))
        switch array {
        case .uint8(let v): for x in v { try sink.writeLittleEndian(x) }
        case .int8(let v): for x in v { try sink.writeLittleEndian(x) }
        case .uint16(let v): for x in v { try sink.writeLittleEndian(x) }
        case .int16(let v): for x in v { try sink.writeLittleEndian(x) }
        case .uint32(let v): for x in v { try sink.writeLittleEndian(x) }
        case .int32(let v): for x in v { try sink.writeLittleEndian(x) }
        case .float32(let v): for x in v { try sink.writeLittleEndian(x.bitPattern) }
        case .bool(let v): for x in v { try sink.writeLittleEndian(UInt8(x ? 1 : 0)) }
        case .string(let v): for x in v { try writeString(x) }
        case .uint64(let v): for x in v { try sink.writeLittleEndian(x) }
        case .int64(let v): for x in v { try sink.writeLittleEndian(x) }
        case .float64(let v): for x in v { try sink.writeLittleEndian(x.bitPattern) }
        case .array(let v): for x in v { try writeArray(x) }
        }
    }
}
