/// A safetensors file opened for reading tensor data: the validated header plus a memory mapping of the file.
///
/// Tensor bytes are handed out zero-copy from the mapping; ``evict(_:)`` returns a tensor's pages once
/// processed so streaming over a large file keeps the resident set small. Immutable, so it can be shared
/// between tasks.
public final class SafetensorsReader: Sendable {
    public let path: String
    public let file: SafetensorsFile
    private let mapping: MappedFile

    /// Opens `path` and validates its header.
    public init(path: String, limits: SafetensorsLimits = SafetensorsLimits()) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        file = try SafetensorsFile.parse(mapping.bytes, limits: limits)
    }

    /// Calls `body` with the data of `tensor` (valid only during the call).
    public func withData<R>(of tensor: SafetensorsTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try byteRange(of: tensor)
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
    }

    /// A copy of the data of `tensor`.
    public func data(of tensor: SafetensorsTensorInfo) throws -> [UInt8] {
        try withData(of: tensor) { Array($0) }
    }

    /// Hints that the data of `tensor` will be read front to back soon.
    public func prefetch(_ tensor: SafetensorsTensorInfo) {
        if let range = try? byteRange(of: tensor) { mapping.adviseSequential(range) }
    }

    /// Releases the resident pages of `tensor`'s data (they are re-read if touched again).
    public func evict(_ tensor: SafetensorsTensorInfo) {
        if let range = try? byteRange(of: tensor) { mapping.evict(range) }
    }

    private func byteRange(of tensor: SafetensorsTensorInfo) throws -> Range<Int> {
        guard let known = file.tensor(named: tensor.name), known.offset == tensor.offset, known.byteCount == tensor.byteCount else {
            throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' is not a tensor of '\(path)'")
        }
        let start = Int(file.dataOffset + tensor.offset)
        return start..<(start + Int(tensor.byteCount))
    }
}
