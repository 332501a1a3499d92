import ArgumentParser
import Foundation
import ModelFormats

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert MLX LoRA adapters for other runtimes, and models between MLX and GGUF.",
        subcommands: [ConvertPEFTCommand.self, ConvertGGUFLoRACommand.self, ConvertGGUFToMLXCommand.self, ConvertMLXToGGUFCommand.self]
    )
}

struct ConvertPEFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peft",
        abstract: "MLX LoRA adapter → PEFT (adapter_model.safetensors + adapter_config.json).",
        discussion: """
            Keys become base_model.model.<path>.lora_A.weight / lora_B.weight (transposed), the form PEFT saves and loads;
            --adapter-name default writes …lora_A.default.weight instead.
            """
    )

    @Option(help: "The MLX adapter weights (adapters.safetensors).") var input: String
    @Option(help: "The MLX adapter_config.json (rank, scale; defaults rank 8, scale 20).") var config: String?
    @Option(help: "Output directory.") var outputDir: String
    @Option(help: "base_model_name_or_path to record.") var baseModel: String?
    @Option(help: "Adapter name to put inside the keys (e.g. default).") var adapterName: String?

    func run() throws {
        let adapter = try MLXLoRAAdapter(weightsPath: input, configPath: config)
        let result = try adapter.convertToPEFT(
            outputDirectory: outputDir,
            options: PEFTConversionOptions(baseModelNameOrPath: baseModel, adapterNameInKeys: adapterName)
        )
        print("wrote \(result.weightsPath) and \(result.configPath): \(result.tensorCount) tensors, rank \(result.rank), alpha \(result.alpha), modules \(result.targetModules.joined(separator: ","))")
    }
}

struct ConvertGGUFLoRACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gguf-lora",
        abstract: "MLX LoRA adapter → GGUF LoRA adapter that llama.cpp loads with --lora.",
        discussion: "The architecture comes from --base-model (recommended: also checks every tensor's shape), else the adapter's config or the local base model it names; supported: llama, qwen3, gemma3."
    )

    @Option(help: "The MLX adapter weights (adapters.safetensors).") var input: String
    @Option(help: "The MLX adapter_config.json.") var config: String?
    @Option(help: "Output GGUF file.") var output: String
    @Option(help: "The base model GGUF (architecture, head counts, shape checks).") var baseModel: String?
    @Option(help: "Override the architecture (llama, qwen3, gemma3, or a model_type such as gemma3_text).") var architecture: String?
    @Flag(help: "Store tensors as F16 instead of F32.") var f16 = false

    func run() throws {
        let adapter = try MLXLoRAAdapter(weightsPath: input, configPath: config)
        let result = try adapter.convertToGGUF(
            outputPath: output,
            options: GGUFLoRAOptions(architecture: architecture, baseModelPath: baseModel, outputType: f16 ? .f16 : .f32)
        )
        print("wrote \(result.path): \(result.architecture), \(result.tensorCount) tensors, rank \(result.rank), alpha \(result.alpha)\(result.checkedAgainstBase ? ", shapes checked against the base model" : "")")
    }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a GGUF or safetensors file's metadata and tensor table (never its data)."
    )

    @Argument(help: "The file.") var file: String

    func run() throws {
        print(try ModelFileReport.report(path: file))
        let problems = try ModelFileReport.problems(path: file)
        for problem in problems { printError("error: \(file): \(problem)") }
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
