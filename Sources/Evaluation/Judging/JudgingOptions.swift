import Inference

extension GenerateOptions {
    /// The judge's sampling unless told otherwise: temperature 0.1, at most 512 tokens (the reference's).
    public static let judging = GenerateOptions(maxTokens: 512, temperature: 0.1)
}
