import ArgumentParser
import Foundation
import ModelFormats
import SafeFiles

/// `ml convert mlx-to-gguf`: an MLX / Hugging Face model directory (llama, qwen3, gemma3) → a GGUF llama.cpp loads.
struct ConvertMLXToGGUFCommand: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "mlx-to-gguf",
        abstract: "MLX / Hugging Face model directory (llama, qwen3, gemma3_text) → GGUF model for llama.cpp.",
        discussion: """
            Reads config.json, the *.safetensors weights (F32, F16 or BF16; quantized models are refused) and the tokenizer \
            (tokenizer.json, tokenizer_config.json, and tokenizer.model for SentencePiece), and writes llama.cpp's tensor \
            names and metadata: q/k rows permuted for llama, Gemma's norms as w + 1, Llama 3 rope scaling as rope_freqs, \
            the tokenizer's tokens, merges or scores, special ids and chat template. A fused model (mlx_lm.fuse) converts \
            like a base one. The file appears only when complete.
            """
    )

    enum DType: String, ExpressibleByArgument, CaseIterable {
        case f32, f16
    }

    @Option(help: "The MLX / Hugging Face model directory.") var input: String
    @Option(help: "The output GGUF file.") var output: String
    @Option(help: "Matrix type: f32 (exact) or f16; vectors stay f32.") var dtype: DType = .f32

    /// The directory's files (config, weights, tokenizer): the output may be written beside them, never over one.
    var fileInputs: [(name: String, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
        return [("--input", input)] + names.sorted().map { ("--input", (input as NSString).appendingPathComponent($0)) }
    }

    var fileOutputs: [FileOutput] { [.file(flag: "--output", path: output)] }

    func run() throws {
        try checkOutputs()
        let start = ContinuousClock.now
        let result = try MLXToGGUFConversion.convert(
            inputDirectory: input, outputPath: output, options: MLXToGGUFOptions(type: dtype == .f16 ? .f16 : .f32),
            progress: ProgressTracker.perTensor())
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        print(
            "wrote \(result.path): \(result.architecture), \(result.tensorCount) tensors as \(dtype.rawValue), "
                + "\(result.parameterCount) parameters, \(result.permuted.count) q/k projections permuted, "
                + "\(result.offsetNorms.count) norms offset, tokenizer \(result.tokenizer), "
                + String(format: "%.1f s", elapsed)
        )
    }
}
