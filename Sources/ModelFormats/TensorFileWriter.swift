/// A streaming writer of a tensor file (``GGUFWriter``, ``SafetensorsWriter``): the header is written when it is
/// made, then tensor data in declaration order, in any chunking. The file appears at its path only when
/// ``finish()`` succeeds; a writer dropped or cancelled before that leaves nothing behind.
public protocol TensorFileWriter: AnyObject {
    /// Appends tensor data: bytes fill the tensors in declaration order, in any chunking.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Checks all tensor data was written, then moves the file into place.
    func finish() throws
    /// Abandons the file.
    func cancel()
}

extension TensorFileWriter {
    /// Appends tensor data from an array.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

/// What the tensor file writers share: the file (a ``FileSink``, which their headers are written to) and the
/// ``TensorByteStream`` that routes data into the declared tensors, committed once all of it is there.
final class TensorFileOutput {
    let sink: FileSink
    private var stream: TensorByteStream
    private var finished = false

    init(path: String, names: [String], sizes: [UInt64], alignment: UInt64) throws {
        stream = TensorByteStream(names: names, sizes: sizes, alignment: alignment)
        sink = try FileSink(path: path)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try stream.write(bytes, to: sink)
    }

    func finish() throws {
        guard !finished else { return }
        do {
            try stream.finish(sink)
            try sink.commit()
            finished = true
        } catch {
            sink.discard()
            throw error
        }
    }

    func cancel() { sink.discard() }
}
