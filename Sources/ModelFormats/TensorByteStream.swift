/// Routes a stream of data chunks into consecutive tensors of known sizes, padding after each one: lets the
/// writers take tensor data in any chunking while checking that every tensor gets exactly its bytes.
struct TensorByteStream {
    let names: [String]
    let sizes: [UInt64]
    /// Pad each tensor's data to a multiple of this (1: no padding).
    let alignment: UInt64
    private(set) var index = 0
    private var written: UInt64 = 0

    init(names: [String], sizes: [UInt64], alignment: UInt64) {
        self.names = names
        self.sizes = sizes
        self.alignment = alignment
    }

    /// Index of the tensor that the next byte belongs to (`names.count` when all are complete).
    var currentTensor: Int { index }

    mutating func write(_ chunk: UnsafeRawBufferPointer, to sink: FileSink) throws {
        var rest = chunk
        while true {
            try completeEmptyTensors(sink)
            guard !rest.isEmpty else { return }
            guard index < sizes.count else {
                throw ModelFormatError(.invalidArgument, "\(rest.count) bytes written after the data of all \(sizes.count) tensors of '\(sink.path)'")
            }
            let take = Int(min(UInt64(rest.count), sizes[index] - written))
            try sink.write(UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            written += UInt64(take)
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
    }

    /// Checks every tensor got all its bytes.
    mutating func finish(_ sink: FileSink) throws {
        try completeEmptyTensors(sink)
        guard index == sizes.count else {
            throw ModelFormatError(
                .invalidArgument,
                "tensor '\(names[index])' of '\(sink.path)' got \(written) of its \(sizes[index]) bytes (\(sizes.count - index) tensors incomplete)"
            )
        }
    }

    private mutating func completeEmptyTensors(_ sink: FileSink) throws {
        while index < sizes.count, written == sizes[index] {
            let padding = (alignment - sizes[index] % alignment) % alignment
            try sink.writeZeros(Int(padding))
            index += 1
            written = 0
        }
    }
}
