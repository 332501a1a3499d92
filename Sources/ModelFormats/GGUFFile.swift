import Foundation

/// One metadata entry of a GGUF file.
public struct GGUFKeyValue: Sendable, Hashable {
    public var key: String
    public var value: GGUFValue

    public init(_ key: String, _ value: GGUFValue) {
        self.key = key
        self.value = value
    }
}

/// The header of a GGUF file (versions 2 and 3): metadata, tensor infos and where the tensor data starts.
///
/// The file is treated as untrusted: every count and length is checked against ``GGUFLimits`` and against the
/// bytes present before anything is allocated; tensors must have known-size types consistent with their
/// shapes (unknown types are kept, unsized), aligned offsets, data inside the file and no overlaps. Failures
/// are ``ModelFormatError``s naming the offset and value at fault. Use ``GGUFReader`` for tensor data.
public struct GGUFFile: Sendable {
    /// The magic number, "GGUF" read as a little-endian `UInt32`.
    public static let magic: UInt32 = 0x4655_4747
    /// Alignment of tensor data when `general.alignment` is absent.
    public static let defaultAlignment: UInt64 = 32

    public var version: UInt32
    /// Metadata in file order.
    public var metadata: [GGUFKeyValue]
    /// Tensor infos in file order.
    public var tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, default 32).
    public var alignment: UInt64
    /// Absolute offset of the tensor data section.
    public var dataOffset: UInt64
    /// Size of the whole file.
    public var fileSize: UInt64

    private var keyIndex: [String: Int]
    private var tensorIndex: [String: Int]

    init(version: UInt32, metadata: [GGUFKeyValue], tensors: [GGUFTensorInfo], alignment: UInt64, dataOffset: UInt64, fileSize: UInt64) {
        self.version = version
        self.metadata = metadata
        self.tensors = tensors
        self.alignment = alignment
        self.dataOffset = dataOffset
        self.fileSize = fileSize
        keyIndex = Dictionary(metadata.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        tensorIndex = Dictionary(tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The value for `key`, if present.
    public subscript(key: String) -> GGUFValue? { keyIndex[key].map { metadata[$0].value } }

    /// The tensor named `name`, if present.
    public func tensor(named name: String) -> GGUFTensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// Throws ``ModelFormatError/Code/unsupported`` naming the first tensor whose ggml type is unknown here: its
    /// size cannot be checked, so the file is not used (inspecting it still works).
    public func requireKnownTensorTypes() throws {
        guard let tensor = tensors.first(where: { !$0.type.isKnown }) else { return }
        let count = tensors.filter { !$0.type.isKnown }.count
        throw ModelFormatError(
            .unsupported,
            "tensor '\(tensor.name)' has unknown ggml type \(tensor.type.id)" + (count > 1 ? " (and \(count - 1) more tensor(s) of unknown types)" : ""))
    }

    /// `general.architecture`, e.g. `llama`.
    public var architecture: String? { self["general.architecture"]?.stringValue }

    /// Reads and validates the header of the file at `path` (memory-mapped: only the header's pages are read).
    public static func read(path: String, limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, limits: limits)
    }

    /// Parses and validates a GGUF file from its bytes. Tensor data is not read, only checked to lie inside
    /// `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: GGUFLimits = GGUFLimits()) throws -> GGUFFile {
        var parser = GGUFParser(bytes: bytes, limits: limits)
        return try parser.parseFile()
    }

    /// Reads only as much of the header as needed to find `general.architecture` (usually the first key):
    /// `nil` when the key is absent or not a string.
    public static func readArchitecture(path: String, limits: GGUFLimits = GGUFLimits()) throws -> String? {
        let file = try MappedFile(path: path)
        var parser = GGUFParser(bytes: file.bytes, limits: limits)
        return try parser.findStringValue(forKey: "general.architecture")
    }

    /// `general.architecture` of the file at `path`, or `nil` if it is unreadable (for model discovery).
    public static func architecture(path: String) -> String? {
        (try? readArchitecture(path: path)) ?? nil
    }
}
