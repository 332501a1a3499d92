/// One tensor's entry in a GGUF header.
public struct GGUFTensorInfo: Sendable, Hashable {
    public var name: String
    /// Dimensions innermost first (ggml's `ne`): a PyTorch `[rows, cols]` matrix is `[cols, rows]`.
    public var dimensions: [UInt64]
    public var type: GGMLType
    /// Offset of the data relative to the data section (``GGUFFile/dataOffset``).
    public var offset: UInt64
    /// Bytes of data; `nil` for a type this reader does not know.
    public var byteCount: UInt64?

    public init(name: String, dimensions: [UInt64], type: GGMLType, offset: UInt64 = 0, byteCount: UInt64? = nil) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteCount = byteCount ?? type.byteCount(elements: dimensions.reduce(1) { $0 &* $1 })
    }

    /// Number of elements (the product of the dimensions).
    public var elementCount: UInt64 { dimensions.reduce(1) { $0 &* $1 } }

    /// Dimensions outermost first, as PyTorch, NumPy and safetensors list them.
    public var shape: [UInt64] { dimensions.reversed() }
}
