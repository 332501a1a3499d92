/// One tensor's entry in a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Hashable {
    public var name: String
    public var dtype: SafetensorsDType
    /// Dimensions outermost first (row-major, as PyTorch and NumPy).
    public var shape: [UInt64]
    /// Start of the data relative to the data section (`data_offsets[0]`).
    public var offset: UInt64
    /// Bytes of data (`data_offsets[1] - data_offsets[0]`).
    public var byteCount: UInt64

    public init(name: String, dtype: SafetensorsDType, shape: [UInt64], offset: UInt64, byteCount: UInt64) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of elements (the product of the shape).
    public var elementCount: UInt64 { shape.reduce(1) { $0 &* $1 } }
}
