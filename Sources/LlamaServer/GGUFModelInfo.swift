import Inference
import ModelFormats

extension GGUFFile {
    /// The contract's ``ModelInfo`` from the header: architecture, sizes, quantisation, context length.
    public func modelInfo(id: String) -> ModelInfo {
        let summary = self.summary
        return ModelInfo(
            id: id,
            architecture: summary.architecture,
            vocabSize: summary.vocabSize,
            layers: summary.blockCount,
            hiddenSize: summary.embeddingLength,
            quantizationBits: summary.quantizationBits,
            quantizationGroupSize: summary.quantizationGroupSize,
            quantization: summary.quantization,
            contextLength: summary.contextLength
        )
    }
}
