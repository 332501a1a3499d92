/// A safetensors file opened for reading tensor data: the validated header plus a memory mapping of the file
/// (see ``TensorFileReader``).
public typealias SafetensorsReader = TensorFileReader<SafetensorsFile>

extension SafetensorsFile: TensorFileFormat {
    public static var defaultLimits: SafetensorsLimits { SafetensorsLimits() }

    public func byteRange(of tensor: SafetensorsTensorInfo, path: String) throws -> Range<Int> {
        guard let known = self.tensor(named: tensor.name), known.offset == tensor.offset, known.byteCount == tensor.byteCount else {
            throw ModelFormatError(.invalidArgument, "tensor '\(tensor.name)' is not a tensor of '\(path)'")
        }
        let start = Int(dataOffset + tensor.offset)
        return start..<(start + Int(tensor.byteCount))
    }
}
