import Foundation
@testable import ModelFormats
import Testing

/// The per-family GGUF LoRA layouts: which names mean which llama.cpp architecture, where q/k rows are permuted,
/// and the errors for what llama.cpp cannot load.
@Suite struct MLXLoRATargetsTests {
    @Test(arguments: [
        ("llama", "llama", true), ("mistral", "llama", true), ("qwen3", "qwen3", false),
        ("gemma3", "gemma3", false), ("gemma3_text", "gemma3", false),
    ])
    func namesAndModelTypesResolve(_ name: String, _ gguf: String, _ permutes: Bool) throws {
        let architecture = try ModelArchitecture.forLoRA(named: name)
        #expect(architecture.ggufName == gguf)
        #expect(architecture.permutesQueryKey == permutes)
    }

    @Test(arguments: ["phi3", "gemma2", "qwen2", "Llama", ""])
    func unsupportedArchitectureIsNamedWithTheSupportedOnes(_ name: String) {
        let error = #expect(throws: ModelFormatError.self) { try ModelArchitecture.forLoRA(named: name) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("'\(name)'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("llama, qwen3, gemma3") == true, "\(error?.message ?? "")")
    }

    /// Every family writes the same seven block tensors; only llama permutes q/k (qwen3 and gemma3 keep the Hugging
    /// Face layout), and `general.architecture` is the GGUF name even when the config spells a `model_type`.
    @Test(arguments: [("gemma3_text", "gemma3", false), ("qwen3", "qwen3", false), ("llama", "llama", true)])
    func familyLayout(_ modelType: String, _ gguf: String, _ permutes: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let modules = [("self_attn.q_proj", 8, 8), ("self_attn.k_proj", 8, 4), ("self_attn.v_proj", 8, 4), ("self_attn.o_proj", 8, 8),
                       ("mlp.gate_proj", 8, 12), ("mlp.up_proj", 8, 12), ("mlp.down_proj", 12, 8)]
            .map { MLXAdapterFixture.Module(path: "model.layers.3.\($0.0)", inFeatures: $0.1, outFeatures: $0.2) }
        let config = #"{"model_type": "\#(modelType)", "lora_parameters": {"rank": 4, "scale": 2.0}}"#
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: modules, config: config)
        let result = try MLXLoRAAdapter(directory: fixture.directory)
            .convertToGGUF(outputPath: dir.file("lora.gguf"), options: GGUFLoRAOptions(headCount: 2, headCountKV: 1))
        #expect(result.architecture == gguf)
        #expect(result.alpha == 8)
        #expect(result.permuted.sorted() == (permutes ? ["blk.3.attn_k.weight", "blk.3.attn_q.weight"] : []))
        let reader = try GGUFReader(path: dir.file("lora.gguf"))
        #expect(reader.file["general.architecture"] == .string(gguf))
        #expect(Set(reader.file.tensors.map(\.name)) == Set(["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
            .flatMap { ["blk.3.\($0).weight.lora_a", "blk.3.\($0).weight.lora_b"] }))
        // q_proj's lora_b row 1: HF row 1 unpermuted; llama's rope order puts HF row 2 there (heads of 4: [0, 2, 1, 3]).
        let b = try reader.data(of: #require(reader.file.tensor(named: "blk.3.attn_q.weight.lora_b"))).floats(.f32)
        let source = permutes ? 2 : 1
        for r in 0..<4 { #expect(b[1 * 4 + r] == fixture.mlx("model.layers.3.self_attn.q_proj.lora_b", r, source, columns: 8)) }
    }

    @Test(arguments: [
        ("gemma3", "lm_head", "tied to the token embeddings"),
        ("gemma3", "model.layers.0.self_attn.q_norm", "an RMS norm (attn_q_norm)"),
        ("gemma3", "model.layers.0.post_feedforward_layernorm", "an RMS norm (post_ffw_norm)"),
        ("qwen3", "model.layers.0.self_attn.k_norm", "an RMS norm (attn_k_norm)"),
        ("qwen3", "model.layers.0.self_attn.qkv_proj", "not one of the linear layers of a qwen3 block"),
        ("llama", "lm_head", "not inside a numbered layer"),
        ("llama", "model.embed_tokens", "not inside a numbered layer"),
    ])
    func modulesLlamaCppCannotAdaptAreExplained(_ architecture: String, _ path: String, _ why: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: [.init(path: path, inFeatures: 8, outFeatures: 8)])
        let error = #expect(throws: ModelFormatError.self) {
            try MLXLoRAAdapter(directory: fixture.directory)
                .convertToGGUF(outputPath: dir.file("x.gguf"), options: GGUFLoRAOptions(architecture: architecture))
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains(path) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(why) == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.gguf")))
    }

    /// The adapter's architecture must be the base model's: a qwen3 adapter on a gemma3 GGUF is refused before
    /// anything is written, and a `model_type` alias of the base's architecture is accepted.
    @Test func adapterArchitectureMustMatchTheBase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(
            directory: dir.file("mlx"), modules: [.init(path: "model.layers.0.self_attn.v_proj", inFeatures: 8, outFeatures: 4)],
            config: #"{"model_type": "qwen3", "lora_parameters": {"rank": 4}}"#
        )
        try GGUFWriter.write(path: dir.file("gemma.gguf"), metadata: [GGUFKeyValue("general.architecture", .string("gemma3"))], tensors: [
            (.init(name: "blk.0.attn_v.weight", dimensions: [8, 4], type: .f32), [UInt8](repeating: 0, count: 8 * 4 * 4)),
        ])
        let adapter = try MLXLoRAAdapter(directory: fixture.directory)
        let error = #expect(throws: ModelFormatError.self) {
            try adapter.convertToGGUF(outputPath: dir.file("x.gguf"), options: GGUFLoRAOptions(architecture: "qwen3", baseModelPath: dir.file("gemma.gguf")))
        }
        #expect(error?.code == .mismatch)
        #expect(error?.message.contains("'gemma3'") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.gguf")))

        let result = try adapter.convertToGGUF(
            outputPath: dir.file("ok.gguf"), options: GGUFLoRAOptions(architecture: "gemma3_text", baseModelPath: dir.file("gemma.gguf"))
        )
        #expect(result.architecture == "gemma3" && result.checkedAgainstBase)
        // Without an explicit architecture the base's wins over the config's model_type.
        #expect(try adapter.convertToGGUF(outputPath: dir.file("ok2.gguf"), options: GGUFLoRAOptions(baseModelPath: dir.file("gemma.gguf"))).architecture == "gemma3")
    }
}

extension MLXLoRATargetsTests {
    /// mlx-lm writes no architecture into adapter_config.json, only the `model` it trained on: when that is a local
    /// model directory, its config.json's model_type gives the architecture; a hub id or a missing directory does not.
    @Test func architectureFromTheLocalBaseModelTheConfigNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("base"), withIntermediateDirectories: true)
        try Data(#"{"model_type": "gemma3_text", "hidden_size": 8}"#.utf8).write(to: URL(fileURLWithPath: dir.file("base/config.json")))
        let modules = [MLXAdapterFixture.Module(path: "model.layers.0.self_attn.q_proj", inFeatures: 8, outFeatures: 8)]
        let fixture = try MLXAdapterFixture(
            directory: dir.file("mlx"), modules: modules, config: #"{"model": "\#(dir.file("base"))", "lora_parameters": {"rank": 4}}"#
        )
        let result = try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: dir.file("lora.gguf"))
        #expect(result.architecture == "gemma3")
        #expect(result.permuted.isEmpty)

        for model in ["google/gemma-3-1b-it", dir.file("missing")] {
            let other = try MLXAdapterFixture(
                directory: dir.file("other"), modules: modules, config: #"{"model": "\#(model)", "lora_parameters": {"rank": 4}}"#
            )
            let error = #expect(throws: ModelFormatError.self) {
                try MLXLoRAAdapter(directory: other.directory).convertToGGUF(outputPath: dir.file("x.gguf"))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("pass the architecture or a base model GGUF") == true)
        }
    }
}
