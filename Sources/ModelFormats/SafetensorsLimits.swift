/// Bounds applied while reading an untrusted safetensors file.
public struct SafetensorsLimits: Sendable, Hashable {
    /// Size of the JSON header (the reference implementation caps it at 100 MB).
    public var maxHeaderBytes: UInt64
    public var maxTensors: Int
    public var maxDimensions: Int
    /// Nesting of the header JSON (a valid header needs 3).
    public var maxJSONDepth: Int

    public init(maxHeaderBytes: UInt64 = 100_000_000, maxTensors: Int = 1 << 20, maxDimensions: Int = 8, maxJSONDepth: Int = 16) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxTensors = maxTensors
        self.maxDimensions = maxDimensions
        self.maxJSONDepth = maxJSONDepth
    }
}
