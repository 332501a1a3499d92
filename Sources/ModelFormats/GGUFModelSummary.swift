import Inference

extension GGUFFile {
    /// Quantisation names, bits and group sizes of llama.cpp's `general.file_type`.
    static let fileTypes: [Int: (name: String, bits: Int, group: Int?)] = [
        0: ("F32", 32, nil), 1: ("F16", 16, nil), 2: ("Q4_0", 4, 32), 3: ("Q4_1", 4, 32), 7: ("Q8_0", 8, 32),
        8: ("Q5_0", 5, 32), 9: ("Q5_1", 5, 32), 10: ("Q2_K", 2, 256), 11: ("Q3_K_S", 3, 256), 12: ("Q3_K_M", 3, 256),
        13: ("Q3_K_L", 3, 256), 14: ("Q4_K_S", 4, 256), 15: ("Q4_K_M", 4, 256), 16: ("Q5_K_S", 5, 256),
        17: ("Q5_K_M", 5, 256), 18: ("Q6_K", 6, 256), 32: ("BF16", 16, nil),
    ]

    /// The contract's ``ModelInfo`` from the header: architecture, sizes, quantisation, context length.
    public func modelInfo(id: String) -> ModelInfo {
        let architecture = self["general.architecture"]?.stringValue
        func archValue(_ suffix: String) -> Int? {
            architecture.flatMap { self["\($0).\(suffix)"]?.intValue }
        }
        let fileType = self["general.file_type"]?.intValue.flatMap { Self.fileTypes[$0] }
        return ModelInfo(
            id: id,
            architecture: architecture,
            vocabSize: self["tokenizer.ggml.tokens"]?.arrayCount ?? archValue("vocab_size"),
            layers: archValue("block_count"),
            hiddenSize: archValue("embedding_length"),
            quantizationBits: fileType?.bits,
            quantizationGroupSize: fileType?.group,
            quantization: fileType?.name,
            contextLength: archValue("context_length")
        )
    }
}
