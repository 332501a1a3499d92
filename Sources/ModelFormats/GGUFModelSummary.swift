/// The facts about a model most callers want from a GGUF header.
public struct GGUFModelSummary: Sendable, Hashable {
    /// `general.name`.
    public var name: String?
    /// `general.architecture`, e.g. `llama`.
    public var architecture: String?
    /// `general.type`: `model`, `adapter`, ... (absent in older files).
    public var type: String?
    /// Entries in `tokenizer.ggml.tokens`, else `<arch>.vocab_size`.
    public var vocabSize: Int?
    /// `<arch>.block_count`: transformer layers.
    public var blockCount: Int?
    /// `<arch>.embedding_length`: hidden size.
    public var embeddingLength: Int?
    /// `<arch>.context_length`: training context.
    public var contextLength: Int?
    /// `<arch>.feed_forward_length` (the largest, if per layer).
    public var feedForwardLength: Int?
    /// `<arch>.attention.head_count` (the largest, if per layer).
    public var headCount: Int?
    /// `<arch>.attention.head_count_kv` (the largest, if per layer).
    public var headCountKV: Int?
    /// `general.file_type`, llama.cpp's `llama_ftype`.
    public var fileType: Int?
    /// Quantisation name, e.g. `Q4_K_M`: from `general.file_type`, else the commonest type of the matrices.
    public var quantization: String?
    /// Bits per weight and group size of that quantisation, when known.
    public var quantizationBits: Int?
    public var quantizationGroupSize: Int?
    public var tensorCount: Int
    /// Total elements of all tensors.
    public var parameterCount: UInt64
    /// Bytes of tensor data (tensors of unknown types excluded).
    public var tensorDataBytes: UInt64
}

extension GGUFFile {
    /// llama.cpp's `llama_ftype` values: name, bits per weight, group size.
    static let fileTypes: [Int: (name: String, bits: Int, group: Int?)] = [
        0: ("F32", 32, nil), 1: ("F16", 16, nil), 2: ("Q4_0", 4, 32), 3: ("Q4_1", 4, 32), 7: ("Q8_0", 8, 32),
        8: ("Q5_0", 5, 32), 9: ("Q5_1", 5, 32), 10: ("Q2_K", 2, 256), 11: ("Q3_K_S", 3, 256), 12: ("Q3_K_M", 3, 256),
        13: ("Q3_K_L", 3, 256), 14: ("Q4_K_S", 4, 256), 15: ("Q4_K_M", 4, 256), 16: ("Q5_K_S", 5, 256),
        17: ("Q5_K_M", 5, 256), 18: ("Q6_K", 6, 256), 19: ("IQ2_XXS", 2, 256), 20: ("IQ2_XS", 2, 256),
        21: ("Q2_K_S", 2, 256), 22: ("IQ3_XS", 3, 256), 23: ("IQ3_XXS", 3, 256), 24: ("IQ1_S", 1, 256),
        25: ("IQ4_NL", 4, 32), 26: ("IQ3_S", 3, 256), 27: ("IQ3_M", 3, 256), 28: ("IQ2_S", 2, 256),
        29: ("IQ2_M", 2, 256), 30: ("IQ4_XS", 4, 256), 31: ("IQ1_M", 1, 256), 32: ("BF16", 16, nil),
        36: ("TQ1_0", 1, 256), 37: ("TQ2_0", 2, 256), 38: ("MXFP4_MOE", 4, 32),
    ]

    /// An integer entry that may be per layer (an array): the largest value.
    private func largestInt(_ key: String) -> Int? {
        guard let value = self[key] else { return nil }
        if let array = value.arrayValue { return array.ints?.max() }
        return value.intValue
    }

    /// The model's architecture, sizes and quantisation from the header.
    public var summary: GGUFModelSummary {
        let architecture = self.architecture
        func archInt(_ suffix: String) -> Int? { architecture.flatMap { largestInt("\($0).\(suffix)") } }
        let fileType = self["general.file_type"]?.intValue
        var quantization = fileType.flatMap { Self.fileTypes[$0] }.map { (name: $0.name, bits: Optional($0.bits), group: $0.group) }
        if quantization == nil {
            // Commonest type among matrices (vectors are usually F32 whatever the quantisation).
            var counts: [GGMLType: Int] = [:]
            for tensor in tensors where tensor.dimensions.count >= 2 { counts[tensor.type, default: 0] += 1 }
            if let type = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.id > $1.key.id) })?.key {
                quantization = (type.name, nil, (type.blockSize ?? 1) > 1 ? type.blockSize : nil)
            }
        }
        return GGUFModelSummary(
            name: self["general.name"]?.stringValue,
            architecture: architecture,
            type: self["general.type"]?.stringValue,
            vocabSize: self["tokenizer.ggml.tokens"]?.arrayCount ?? archInt("vocab_size"),
            blockCount: archInt("block_count"),
            embeddingLength: archInt("embedding_length"),
            contextLength: archInt("context_length"),
            feedForwardLength: archInt("feed_forward_length"),
            headCount: archInt("attention.head_count"),
            headCountKV: archInt("attention.head_count_kv"),
            fileType: fileType,
            quantization: quantization?.name,
            quantizationBits: quantization?.bits,
            quantizationGroupSize: quantization?.group,
            tensorCount: tensors.count,
            parameterCount: tensors.reduce(0) { $0 &+ $1.elementCount },
            tensorDataBytes: tensors.reduce(0) { $0 &+ ($1.byteCount ?? 0) }
        )
    }
}
