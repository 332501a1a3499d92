import Foundation
@testable import ModelFormats
import Testing

@Suite struct MLXToGGUFLoRATests {
    /// GGUF element `[row, column]` of a tensor with ggml dims `[columns, rows]` (ne[0] innermost).
    func element(_ values: [Float], _ row: Int, _ column: Int, ne0: Int) -> Float { values[row * ne0 + column] }

    @Test(arguments: [SafetensorsDType.f32, .f16, .bf16])
    func writesAdapterMetadataNamesShapesAndTransposedData(_ dtype: SafetensorsDType) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: MLXAdapterFixture.attention, dtype: dtype)
        let output = dir.file("lora.gguf")
        let result = try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: output, options: GGUFLoRAOptions(architecture: "qwen3"))
        #expect(result.permuted.isEmpty, "qwen3 keeps the Hugging Face q/k layout")
        #expect(!result.checkedAgainstBase)

        let reader = try GGUFReader(path: output)
        let file = reader.file
        #expect(file["general.architecture"] == .string("qwen3"))
        #expect(file["general.type"] == .string("adapter"))
        #expect(file["adapter.type"] == .string("lora"))
        #expect(file["adapter.lora.alpha"] == .float32(10), "scale 2.5 × rank 4, as float32")
        #expect(file.tensors.count == 12)
        let names = Set(file.tensors.map(\.name))
        for layer in [0, 1] {
            for module in ["attn_q", "attn_k", "attn_v"] {
                #expect(names.contains("blk.\(layer).\(module).weight.lora_a"))
                #expect(names.contains("blk.\(layer).\(module).weight.lora_b"))
            }
        }
        for (module, ggml) in [("q_proj", "attn_q"), ("k_proj", "attn_k"), ("v_proj", "attn_v")] {
            let path = "model.layers.1.self_attn.\(module)"
            let out = module == "q_proj" ? 8 : 4
            let a = try #require(file.tensor(named: "blk.1.\(ggml).weight.lora_a"))
            let b = try #require(file.tensor(named: "blk.1.\(ggml).weight.lora_b"))
            // llama.cpp: a->ne = [in, rank] (ne[0] == the base weight's ne[0] == in), b->ne = [rank, out].
            #expect(a.dimensions == [8, 4])
            #expect(b.dimensions == [4, UInt64(out)])
            #expect(a.type == .f32 && b.type == .f32)
            let aValues = try reader.data(of: a).floats(.f32)
            let bValues = try reader.data(of: b).floats(.f32)
            for r in 0..<4 {
                for i in 0..<8 { #expect(element(aValues, r, i, ne0: 8) == fixture.mlx(path + ".lora_a", i, r, columns: 4)) }
                for o in 0..<out { #expect(element(bValues, o, r, ne0: 4) == fixture.mlx(path + ".lora_b", r, o, columns: out)) }
            }
        }
    }

    @Test func llamaPermutesQueryAndKeyRowsForRope() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: MLXAdapterFixture.attention)
        let adapter = try MLXLoRAAdapter(directory: fixture.directory)
        #expect(errorCode { try adapter.convertToGGUF(outputPath: dir.file("x.gguf"), options: GGUFLoRAOptions(architecture: "llama")) } == .invalidArgument,
                "llama needs head counts")

        let output = dir.file("llama.gguf")
        let options = GGUFLoRAOptions(architecture: "llama", outputType: .f16, headCount: 2, headCountKV: 1)
        let result = try adapter.convertToGGUF(outputPath: output, options: options)
        #expect(result.permuted.sorted() == ["blk.0.attn_k.weight", "blk.0.attn_q.weight", "blk.1.attn_k.weight", "blk.1.attn_q.weight"])
        let reader = try GGUFReader(path: output)
        // q: 8 rows in 2 heads of 4 → GGUF row k holds HF row [0, 2, 1, 3, 4, 6, 5, 7][k]; k: 4 rows, 1 head → [0, 2, 1, 3].
        for (ggml, module, out, order) in [("attn_q", "q_proj", 8, [0, 2, 1, 3, 4, 6, 5, 7]), ("attn_k", "k_proj", 4, [0, 2, 1, 3]), ("attn_v", "v_proj", 4, [0, 1, 2, 3])] {
            let b = try #require(reader.file.tensor(named: "blk.0.\(ggml).weight.lora_b"))
            #expect(b.type == .f16)
            let values = try reader.data(of: b).floats(.f16)
            for row in 0..<out {
                for r in 0..<4 {
                    #expect(element(values, row, r, ne0: 4) == fixture.mlx("model.layers.0.self_attn.\(module).lora_b", r, order[row], columns: out), "\(ggml) row \(row)")
                }
            }
            // lora_a is never permuted.
            let a = try reader.data(of: #require(reader.file.tensor(named: "blk.0.\(ggml).weight.lora_a"))).floats(.f16)
            #expect(element(a, 3, 5, ne0: 8) == fixture.mlx("model.layers.0.self_attn.\(module).lora_a", 5, 3, columns: 4))
        }
        #expect(MLXLoRAAdapter.ropeRowOrder(rows: 8, heads: 2) == [0, 2, 1, 3, 4, 6, 5, 7])
    }

    /// A base GGUF with llama tensors for layers 0 and 1 (`q` 8→8, `k`/`v` 8→4) and heads 2/1.
    func writeBase(_ path: String, kDims: [UInt64] = [8, 4], architecture: String = "llama") throws {
        var tensors: [(GGUFWriter.Tensor, [UInt8])] = []
        for layer in 0..<2 {
            for (name, dims) in [("attn_q", [UInt64(8), 8]), ("attn_k", kDims), ("attn_v", [8, 4])] {
                tensors.append((.init(name: "blk.\(layer).\(name).weight", dimensions: dims, type: .f32), [UInt8](repeating: 0, count: Int(dims.reduce(1, *)) * 4)))
            }
        }
        try GGUFWriter.write(path: path, metadata: [
            GGUFKeyValue("general.architecture", .string(architecture)),
            GGUFKeyValue("\(architecture).attention.head_count", .uint32(2)),
            GGUFKeyValue("\(architecture).attention.head_count_kv", .array(.uint32([1, 1]))),
        ], tensors: tensors)
    }

    @Test func baseModelSuppliesArchitectureHeadsAndShapeChecks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: MLXAdapterFixture.attention)
        let adapter = try MLXLoRAAdapter(directory: fixture.directory)
        try writeBase(dir.file("base.gguf"))
        let result = try adapter.convertToGGUF(outputPath: dir.file("lora.gguf"), options: GGUFLoRAOptions(baseModelPath: dir.file("base.gguf")))
        #expect(result.architecture == "llama")
        #expect(result.checkedAgainstBase)
        #expect(result.permuted.count == 4, "head counts (per-layer kv array) from the base")
        #expect(try GGUFFile.read(path: dir.file("lora.gguf"))["general.architecture"] == .string("llama"))

        try writeBase(dir.file("wrong.gguf"), kDims: [4, 8])
        #expect(errorCode { try adapter.convertToGGUF(outputPath: dir.file("x.gguf"), options: GGUFLoRAOptions(baseModelPath: dir.file("wrong.gguf"))) } == .mismatch)
        #expect(errorCode {
            try adapter.convertToGGUF(outputPath: dir.file("x.gguf"), options: GGUFLoRAOptions(architecture: "qwen3", baseModelPath: dir.file("base.gguf")))
        } == .mismatch)
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.gguf")))
    }

    @Test func architectureMustBeKnownAndModulesMapped() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let modules = Array(MLXAdapterFixture.attention.suffix(1))
        var fixture = try MLXAdapterFixture(directory: dir.file("a"), modules: modules)
        #expect(errorCode { try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: dir.file("x.gguf")) } == .invalidArgument)

        fixture = try MLXAdapterFixture(directory: dir.file("b"), modules: modules, config: #"{"model_type": "qwen3", "lora_parameters": {"rank": 4}}"#)
        let result = try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: dir.file("b.gguf"))
        #expect(result.architecture == "qwen3")
        #expect(result.alpha == 80, "default scale 20 × rank 4")

        fixture = try MLXAdapterFixture(directory: dir.file("c"), modules: [.init(path: "model.layers.0.self_attn.qkv_proj", inFeatures: 8, outFeatures: 24)])
        #expect(errorCode { try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: dir.file("x.gguf"), options: .init(architecture: "phi3")) } == .unsupported)
        fixture = try MLXAdapterFixture(directory: dir.file("d"), modules: [.init(path: "lm_head", inFeatures: 8, outFeatures: 24)])
        #expect(errorCode { try MLXLoRAAdapter(directory: fixture.directory).convertToGGUF(outputPath: dir.file("x.gguf"), options: .init(architecture: "qwen3")) } == .unsupported)
    }

    @Test(.enabled(if: SmolLM2.shouldRun, "SmolLM2 GGUF not installed"))
    func adapterShapedForSmolLM2ValidatesAgainstTheRealBase() throws {
        try #require(SmolLM2.exists, "\(SmolLM2.path) is missing (CI requires it)")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let modules: [MLXAdapterFixture.Module] = [0, 29].flatMap { layer in
            [("self_attn.q_proj", 576, 576), ("self_attn.k_proj", 576, 192), ("self_attn.v_proj", 576, 192), ("self_attn.o_proj", 576, 576),
             ("mlp.gate_proj", 576, 1536), ("mlp.up_proj", 576, 1536), ("mlp.down_proj", 1536, 576)]
                .map { MLXAdapterFixture.Module(path: "model.layers.\(layer).\($0.0)", inFeatures: $0.1, outFeatures: $0.2) }
        }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: modules, rank: 8, dtype: .bf16, config: #"{"lora_parameters": {"rank": 8, "scale": 16}}"#)
        let result = try MLXLoRAAdapter(directory: fixture.directory)
            .convertToGGUF(outputPath: dir.file("smol-lora.gguf"), options: GGUFLoRAOptions(baseModelPath: SmolLM2.path))
        #expect(result.architecture == "llama")
        #expect(result.alpha == 128)
        #expect(result.tensorCount == 28)
        #expect(result.permuted.sorted() == ["blk.0.attn_k.weight", "blk.0.attn_q.weight", "blk.29.attn_k.weight", "blk.29.attn_q.weight"])
        let file = try GGUFFile.read(path: dir.file("smol-lora.gguf"))
        #expect(file.tensor(named: "blk.29.ffn_down.weight.lora_a")?.dimensions == [1536, 8])
        #expect(file.tensor(named: "blk.29.ffn_down.weight.lora_b")?.dimensions == [8, 576])
        #expect(file.tensor(named: "blk.0.attn_k.weight.lora_b")?.dimensions == [8, 192])
    }
}
