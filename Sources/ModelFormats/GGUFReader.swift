/// A GGUF file opened for reading tensor data: the validated header plus a memory mapping of the file
/// (see ``TensorFileReader``).
public typealias GGUFReader = TensorFileReader<GGUFFile>

extension GGUFFile: TensorFileFormat {
    public static var defaultLimits: GGUFLimits { GGUFLimits() }

    public func byteRange(of tensor: GGUFTensorInfo, path: String) throws -> Range<Int> {
        guard let count = tensor.byteCount else {
            throw ModelFormatError(.unsupported, "tensor '\(tensor.name)' has ggml type \(tensor.type.id), whose size is unknown")
        }
        guard let known = self.tensor(named: tensor.name), known.offset == tensor.offset, known.byteCount == count else {
            throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' is not a tensor of '\(path)'")
        }
        let start = Int(dataOffset + tensor.offset)
        return start..<(start + Int(count))
    }
}
