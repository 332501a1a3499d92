import ArgumentParser
import Foundation
import ModelFormats

/// `ml convert gguf-to-mlx`: a llama, qwen3 or gemma3 GGUF → an MLX / Hugging Face model directory.
struct ConvertGGUFToMLXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gguf-to-mlx",
        abstract: "llama, qwen3 or gemma3 GGUF model → MLX / Hugging Face directory (config.json, model.safetensors, tokenizer files).",
        discussion: """
            Dequantizes F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K and Q6_K tensors, puts q/k rows back in \
            Hugging Face's rope order (llama), Gemma's norms back to w, and rebuilds the tokenizer and chat template from the GGUF's metadata. The directory \
            appears only when complete; an existing one is never overwritten.
            """
    )

    enum DType: String, ExpressibleByArgument, CaseIterable {
        case f32, f16, bf16
        var safetensors: SafetensorsDType {
            switch self {
            case .f32: return .f32
            case .f16: return .f16
            case .bf16: return .bf16
            }
        }
    }

    @Option(help: "The GGUF model.") var input: String
    @Option(help: "The output directory (must not exist).") var output: String
    @Option(help: "Weight dtype: f32 (exact, fastest on MLX's CPU backend), f16 or bf16.") var dtype: DType = .f32

    func run() throws {
        let start = ContinuousClock.now
        let result = try GGUFToMLXConversion.convert(
            inputPath: input, outputDirectory: output, options: GGUFToMLXOptions(dtype: dtype.safetensors),
            progress: ProgressTracker.perTensor())
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let types = result.sourceTypes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print(
            "wrote \(result.outputDirectory): \(result.tensorCount) tensors (\(types)) as \(dtype.rawValue), "
                + "\(result.parameterCount) parameters, \(result.unpermuted.count) q/k projections un-permuted, "
                + String(format: "%.1f s", elapsed)
        )
    }
}
