/// A tensor file format's validated header, as ``TensorFileReader`` reads it: ``GGUFFile`` or ``SafetensorsFile``.
public protocol TensorFileFormat: Sendable {
    associatedtype Tensor
    associatedtype Limits
    /// The limits a reader applies when given none.
    static var defaultLimits: Limits { get }
    /// Parses and validates the header from the file's bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits) throws -> Self
    /// Where `tensor`'s data lies in the file, once it is checked to be one of this file's tensors (`path` names
    /// the file in the error).
    func byteRange(of tensor: Tensor, path: String) throws -> Range<Int>
}

/// A tensor file opened for reading tensor data: the validated header plus a memory mapping of the file
/// (``GGUFReader``, ``SafetensorsReader``).
///
/// Tensor bytes are handed out zero-copy from the mapping; pages are read from disk only when touched, and
/// ``evict(_:)`` returns them once processed so streaming a 10 GB file keeps the resident set small.
/// Immutable, so it can be shared between tasks.
public final class TensorFileReader<Format: TensorFileFormat>: Sendable {
    public let path: String
    public let file: Format
    private let mapping: MappedFile

    /// Opens `path` and validates its header.
    public init(path: String, limits: Format.Limits = Format.defaultLimits) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        file = try Format.parse(mapping.bytes, limits: limits)
    }

    /// Calls `body` with the data of `tensor` (valid only during the call).
    public func withData<R>(of tensor: Format.Tensor, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try file.byteRange(of: tensor, path: path)
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
    }

    /// A copy of the data of `tensor`.
    public func data(of tensor: Format.Tensor) throws -> [UInt8] {
        try withData(of: tensor) { Array($0) }
    }

    /// Hints that the data of `tensor` will be read front to back soon.
    public func prefetch(_ tensor: Format.Tensor) {
        if let range = try? file.byteRange(of: tensor, path: path) { mapping.adviseSequential(range) }
    }

    /// Releases the resident pages of `tensor`'s data (they are re-read if touched again).
    public func evict(_ tensor: Format.Tensor) {
        if let range = try? file.byteRange(of: tensor, path: path) { mapping.evict(range) }
    }
}
