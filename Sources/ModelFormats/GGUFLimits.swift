/// Bounds applied while reading an untrusted GGUF file. The defaults accept real models from 100 MB to tens of
/// GB (tokenizers of 250k+ strings and merges, long chat templates, thousands of tensors) and refuse absurd
/// counts before allocating anything.
public struct GGUFLimits: Sendable, Hashable {
    /// Metadata key/value pairs.
    public var maxKeyValues: UInt64
    public var maxTensors: UInt64
    /// Length of one metadata string (keys and values).
    public var maxStringBytes: UInt64
    /// Length of one tensor name (llama.cpp itself refuses 64 or more).
    public var maxTensorNameBytes: UInt64
    /// Elements of one array (at any nesting level).
    public var maxArrayElements: UInt64
    /// Arrays inside arrays: 1 allows arrays of arrays of scalars.
    public var maxArrayNesting: Int
    /// Dimensions of one tensor (ggml has 4).
    public var maxDimensions: UInt32
    /// Bytes of header, metadata and tensor infos read in all: bounds what the reader allocates.
    public var maxMetadataBytes: UInt64

    public init(
        maxKeyValues: UInt64 = 65_536,
        maxTensors: UInt64 = 1 << 20,
        maxStringBytes: UInt64 = 16 << 20,
        maxTensorNameBytes: UInt64 = 1024,
        maxArrayElements: UInt64 = 1 << 24,
        maxArrayNesting: Int = 4,
        maxDimensions: UInt32 = 4,
        maxMetadataBytes: UInt64 = 256 << 20
    ) {
        self.maxKeyValues = maxKeyValues
        self.maxTensors = maxTensors
        self.maxStringBytes = maxStringBytes
        self.maxTensorNameBytes = maxTensorNameBytes
        self.maxArrayElements = maxArrayElements
        self.maxArrayNesting = maxArrayNesting
        self.maxDimensions = maxDimensions
        self.maxMetadataBytes = maxMetadataBytes
    }
}
