/// Bounds applied while reading an untrusted GGUF file. The defaults accept real models (a tokenizer with a
/// few hundred thousand strings, long chat templates) and refuse absurd counts before allocating anything.
public struct GGUFLimits: Sendable, Hashable {
    public var maxKeyValues: UInt64
    public var maxTensors: UInt64
    public var maxStringBytes: UInt64
    public var maxArrayElements: UInt64
    public var maxArrayNesting: Int
    public var maxDimensions: UInt32
    /// Bytes of metadata and tensor infos read in all: the bound on what the reader allocates.
    public var maxHeaderBytes: UInt64

    public init(
        maxKeyValues: UInt64 = 65_536,
        maxTensors: UInt64 = 1 << 20,
        maxStringBytes: UInt64 = 16 << 20,
        maxArrayElements: UInt64 = 16 << 20,
        maxArrayNesting: Int = 4,
        maxDimensions: UInt32 = 4,
        maxHeaderBytes: UInt64 = 512 << 20
    ) {
        self.maxKeyValues = maxKeyValues
        self.maxTensors = maxTensors
        self.maxStringBytes = maxStringBytes
        self.maxArrayElements = maxArrayElements
        self.maxArrayNesting = maxArrayNesting
        self.maxDimensions = maxDimensions
        self.maxHeaderBytes = maxHeaderBytes
    }
}
