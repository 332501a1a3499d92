/// A GGUF file opened for reading tensor data: the validated header plus a memory mapping of the file.
///
/// Tensor bytes are handed out zero-copy from the mapping; pages are read from disk only when touched, and
/// ``evict(_:)`` returns them once processed so streaming a 10 GB file keeps the resident set small.
/// Immutable, so it can be shared between tasks.
public final class GGUFReader: Sendable {
    public let path: String
    public let file: GGUFFile
    private let mapping: MappedFile

    /// Opens `path` and validates its header.
    public init(path: String, limits: GGUFLimits = GGUFLimits()) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        file = try GGUFFile.parse(mapping.bytes, limits: limits)
    }

    /// Calls `body` with the data of `tensor` (valid only during the call).
    public func withData<R>(of tensor: GGUFTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try byteRange(of: tensor)
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
    }

    /// A copy of the data of `tensor`.
    public func data(of tensor: GGUFTensorInfo) throws -> [UInt8] {
        try withData(of: tensor) { Array($0) }
    }

    /// Hints that the data of `tensor` will be read front to back soon.
    public func prefetch(_ tensor: GGUFTensorInfo) {
        if let range = try? byteRange(of: tensor) { mapping.adviseSequential(range) }
    }

    /// Releases the resident pages of `tensor`'s data (they are re-read if touched again).
    public func evict(_ tensor: GGUFTensorInfo) {
        if let range = try? byteRange(of: tensor) { mapping.evict(range) }
    }

    private func byteRange(of tensor: GGUFTensorInfo) throws -> Range<Int> {
        guard let count = tensor.byteCount else {
            throw ModelFormatError(.unsupported, "tensor '\(tensor.name)' has ggml type \(tensor.type.id), whose size is unknown")
        }
        guard let known = file.tensor(named: tensor.name), known.offset == tensor.offset, known.byteCount == count else {
            throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' is not a tensor of '\(path)'")
        }
        let start = Int(file.dataOffset + tensor.offset)
        return start..<(start + Int(count))
    }
}
