import JSONValues

/// Writes a safetensors file: the JSON header first (tensors in declaration order, `__metadata__` first, padded
/// with spaces to a multiple of 8 bytes), then tensor data streamed in that order without gaps.
///
/// Nothing but the header is held in memory. The file appears at `path` only when ``finish()`` succeeds;
/// a writer dropped or cancelled before that leaves nothing behind.
public final class SafetensorsWriter: TensorFileWriter {
    /// A tensor to write: name, dtype, shape outermost first.
    public struct Tensor: Sendable, Hashable {
        public var name: String
        public var dtype: SafetensorsDType
        public var shape: [UInt64]

        public init(name: String, dtype: SafetensorsDType, shape: [UInt64]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
    }

    public let path: String
    /// The tensor infos as written, with offsets relative to the data section.
    public let tensors: [SafetensorsTensorInfo]
    private let output: TensorFileOutput
    private var sink: FileSink { output.sink }

    /// Validates the declarations and writes the header.
    public init(path: String, metadata: [String: String] = [:], tensors: [Tensor]) throws {
        var names = Set<String>()
        var infos: [SafetensorsTensorInfo] = []
        var offset: UInt64 = 0
        var entries: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            entries.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })))
        }
        for tensor in tensors {
            guard tensor.name != "__metadata__", names.insert(tensor.name).inserted else {
                throw ModelFormatError(.invalidArgument, "tensor name '\(tensor.name)' is reserved or declared twice")
            }
            var bytes = UInt64(tensor.dtype.size)
            for dimension in tensor.shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' shape \(tensor.shape) overflows") }
                bytes = product
            }
            infos.append(SafetensorsTensorInfo(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, offset: offset, byteCount: bytes))
            entries.append((tensor.name, .object([
                ("dtype", .string(tensor.dtype.rawValue)),
                ("shape", .array(tensor.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + bytes)])),
            ])))
            offset += bytes
        }
        var header = Array(JSONValue.object(entries).serialized().utf8)
        while header.count % 8 != 0 { header.append(0x20) }

        self.path = path
        self.tensors = infos
        output = try TensorFileOutput(path: path, names: infos.map(\.name), sizes: infos.map(\.byteCount), alignment: 1)
        try sink.writeLittleEndian(UInt64(header.count))
        try sink.write(header)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws { try output.write(bytes) }
    public func finish() throws { try output.finish() }
    public func cancel() { output.cancel() }

    /// Writes a whole file whose tensor data is in memory (tests and small files).
    public static func write(path: String, metadata: [String: String] = [:], tensors: [(Tensor, [UInt8])]) throws {
        let writer = try SafetensorsWriter(path: path, metadata: metadata, tensors: tensors.map(\.0))
        for (_, bytes) in tensors { try writer.write(bytes) }
        try writer.finish()
    }
}
