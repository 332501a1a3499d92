import Foundation
@testable import ModelFormats
import Testing

/// A tiny llama GGUF built here: hidden 32, 4 query heads and 2 key/value heads of 8, one layer, F32 / F16 /
/// Q8_0 tensors whose values name their row and column, a five-token byte-level BPE vocabulary.
enum TinyLlamaGGUF {
    static let hidden = 32, heads = 4, kvHeads = 2, headDim = 8, ffn = 64, vocab = 5

    /// Value of (row, column) in every tensor: exact in F32 and F16.
    static func value(_ row: Int, _ column: Int) -> Float { Float(row * 64 + column) / 8 }

    static func f32Bytes(rows: Int, columns: Int) -> [UInt8] {
        var out: [UInt8] = []
        for r in 0..<rows { for c in 0..<columns { withUnsafeBytes(of: value(r, c).bitPattern.littleEndian) { out += $0 } } }
        return out
    }

    static func f16Bytes(rows: Int, columns: Int) -> [UInt8] {
        var out: [UInt8] = []
        for r in 0..<rows { for c in 0..<columns { withUnsafeBytes(of: FloatBits.floatToHalf(value(r, c)).littleEndian) { out += $0 } } }
        return out
    }

    /// Q8_0 rows of 32: scale 1, quant = column − 16 (so value = column − 16, whatever the row).
    static func q8Bytes(rows: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<rows { out += [0x00, 0x3C] + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) } }
        return out
    }

    static func write(to path: String, tied: Bool = true, extraMetadata: [GGUFKeyValue] = []) throws {
        var metadata: [GGUFKeyValue] = [
            GGUFKeyValue("general.architecture", .string("llama")),
            GGUFKeyValue("llama.block_count", .uint32(1)),
            GGUFKeyValue("llama.context_length", .uint32(256)),
            GGUFKeyValue("llama.embedding_length", .uint32(UInt32(hidden))),
            GGUFKeyValue("llama.feed_forward_length", .uint32(UInt32(ffn))),
            GGUFKeyValue("llama.attention.head_count", .uint32(UInt32(heads))),
            GGUFKeyValue("llama.attention.head_count_kv", .uint32(UInt32(kvHeads))),
            GGUFKeyValue("llama.rope.freq_base", .float32(100_000)),
            GGUFKeyValue("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
            GGUFKeyValue("llama.rope.dimension_count", .uint32(UInt32(headDim))),
            GGUFKeyValue("tokenizer.ggml.model", .string("gpt2")),
            GGUFKeyValue("tokenizer.ggml.pre", .string("smollm")),
            GGUFKeyValue("tokenizer.ggml.tokens", .array(.string(["<|endoftext|>", "a", "b", "ab", "Ġ"]))),
            GGUFKeyValue("tokenizer.ggml.token_type", .array(.int32([3, 1, 1, 1, 1]))),
            GGUFKeyValue("tokenizer.ggml.merges", .array(.string(["a b"]))),
            GGUFKeyValue("tokenizer.ggml.bos_token_id", .uint32(0)),
            GGUFKeyValue("tokenizer.ggml.eos_token_id", .uint32(0)),
            GGUFKeyValue("tokenizer.ggml.add_bos_token", .bool(false)),
            GGUFKeyValue("tokenizer.chat_template", .string("{% for m in messages %}{{ m['content'] }}{% endfor %}")),
        ]
        metadata += extraMetadata
        typealias T = GGUFWriter.Tensor
        func m(_ name: String, rows: Int, columns: Int, _ type: GGMLType = .f32) -> (T, [UInt8]) {
            let bytes = type == .f16 ? f16Bytes(rows: rows, columns: columns) : type == .q8_0 ? q8Bytes(rows: rows) : f32Bytes(rows: rows, columns: columns)
            return (T(name: name, dimensions: [UInt64(columns), UInt64(rows)], type: type), bytes)
        }
        func v(_ name: String, _ count: Int) -> (T, [UInt8]) { (T(name: name, dimensions: [UInt64(count)], type: .f32), f32Bytes(rows: 1, columns: count)) }
        var tensors = [
            m("token_embd.weight", rows: vocab, columns: hidden, .f16),
            v("blk.0.attn_norm.weight", hidden),
            m("blk.0.attn_q.weight", rows: heads * headDim, columns: hidden),
            m("blk.0.attn_k.weight", rows: kvHeads * headDim, columns: hidden),
            m("blk.0.attn_v.weight", rows: kvHeads * headDim, columns: hidden),
            m("blk.0.attn_output.weight", rows: hidden, columns: hidden),
            v("blk.0.ffn_norm.weight", hidden),
            m("blk.0.ffn_gate.weight", rows: ffn, columns: hidden),
            m("blk.0.ffn_up.weight", rows: ffn, columns: hidden, .q8_0),
            m("blk.0.ffn_down.weight", rows: hidden, columns: ffn),
            v("output_norm.weight", hidden),
        ]
        if !tied { tensors.append(m("output.weight", rows: vocab, columns: hidden)) }
        try GGUFWriter.write(path: path, metadata: metadata, tensors: tensors)
    }
}

@Suite struct GGUFToMLXTests {
    /// Reads a written F32 tensor as rows.
    func rows(_ reader: SafetensorsReader, _ name: String) throws -> [[Float]] {
        let info = try #require(reader.file.tensor(named: name), "no tensor \(name)")
        #expect(info.dtype == .f32)
        let bytes = try reader.data(of: info)
        let floats = stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
        let columns = Int(info.shape.count == 2 ? info.shape[1] : info.shape[0])
        return stride(from: 0, to: floats.count, by: columns).map { Array(floats[$0..<($0 + columns)]) }
    }

    @Test func ropeRowOrderRoundTrip() {
        for (rows, heads) in [(8, 1), (32, 4), (16, 2), (576, 9), (192, 3)] {
            let forward = MLXLoRAAdapter.ropeRowOrder(rows: rows, heads: heads)
            let inverse = GGUFTensorNaming.inverseRopeRowOrder(rows: rows, heads: heads)
            #expect(inverse.indices.allSatisfy { forward[inverse[$0]] == $0 }, "rows \(rows), heads \(heads)")
            #expect(forward != Array(0..<rows))
        }
        // One head of 4: llama.cpp stores Hugging Face rows 0, 2, 1, 3 (halves interleaved).
        #expect(GGUFTensorNaming.inverseRopeRowOrder(rows: 4, heads: 1) == [0, 2, 1, 3])
        #expect(GGUFTensorNaming.inverseRopeRowOrder(rows: 8, heads: 1) == [0, 2, 4, 6, 1, 3, 5, 7])
    }

    @Test func tensorNames() {
        #expect(GGUFTensorNaming.huggingFaceName(of: "token_embd.weight") == "model.embed_tokens.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "output.weight") == "lm_head.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "output_norm.weight") == "model.norm.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.12.attn_q.weight") == "model.layers.12.self_attn.q_proj.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.0.attn_output.bias") == "model.layers.0.self_attn.o_proj.bias")
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.3.ffn_norm.weight") == "model.layers.3.post_attention_layernorm.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.3.ffn_down.weight") == "model.layers.3.mlp.down_proj.weight")
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.x.attn_q.weight") == nil)
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.01.attn_q.weight") == nil)
        #expect(GGUFTensorNaming.huggingFaceName(of: "rope_freqs.weight") == nil)
    }

    @Test func convertsTinyModel() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try TinyLlamaGGUF.write(to: dir.file("tiny.gguf"))
        let output = dir.file("tiny-mlx")
        let result = try GGUFToMLXConversion.convert(inputPath: dir.file("tiny.gguf"), outputDirectory: output)
        #expect(result.tensorCount == 11)
        #expect(result.sourceTypes == ["F32": 9, "F16": 1, "Q8_0": 1])
        #expect(Set(result.unpermuted) == ["model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: output)) == [
            "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
        ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["tiny-mlx", "tiny.gguf"])

        let reader = try SafetensorsReader(path: (output as NSString).appendingPathComponent("model.safetensors"))
        #expect(reader.file.tensor(named: "lm_head.weight") == nil, "tied embeddings need no lm_head")
        #expect(reader.file.tensor(named: "model.layers.0.self_attn.q_proj.weight")?.shape == [32, 32])
        #expect(reader.file.tensor(named: "model.layers.0.self_attn.k_proj.weight")?.shape == [16, 32])
        #expect(reader.file.tensor(named: "model.layers.0.mlp.down_proj.weight")?.shape == [32, 64])
        #expect(reader.file.tensor(named: "model.norm.weight")?.shape == [32])

        // llama.cpp stored Hugging Face row h·d + i·d/2 + j at GGUF row h·d + 2j + i; each GGUF row r starts with
        // value(r, 0), so Hugging Face row h·d + i·d/2 + j must start with value(h·d + 2j + i, 0).
        for (name, heads) in [("q_proj", TinyLlamaGGUF.heads), ("k_proj", TinyLlamaGGUF.kvHeads)] {
            let matrix = try rows(reader, "model.layers.0.self_attn.\(name).weight")
            let d = TinyLlamaGGUF.headDim
            for h in 0..<heads { for i in 0..<2 { for j in 0..<(d / 2) {
                let hfRow = h * d + i * d / 2 + j
                #expect(matrix[hfRow] == (0..<32).map { TinyLlamaGGUF.value(h * d + 2 * j + i, $0) }, "\(name) row \(hfRow)")
            } } }
        }
        // Unpermuted tensors keep their rows; F16 and Q8_0 sources are dequantized.
        #expect(try rows(reader, "model.layers.0.self_attn.v_proj.weight")[5] == (0..<32).map { TinyLlamaGGUF.value(5, $0) })
        #expect(try rows(reader, "model.embed_tokens.weight")[3] == (0..<32).map { TinyLlamaGGUF.value(3, $0) })
        #expect(try rows(reader, "model.layers.0.mlp.up_proj.weight")[40] == (0..<32).map { Float($0 - 16) })

        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/config.json"))) as? [String: Any]
        let c = try #require(config)
        #expect(c["model_type"] as? String == "llama")
        #expect(c["hidden_size"] as? Int == 32)
        #expect(c["intermediate_size"] as? Int == 64)
        #expect(c["num_hidden_layers"] as? Int == 1)
        #expect(c["num_attention_heads"] as? Int == 4)
        #expect(c["num_key_value_heads"] as? Int == 2)
        #expect(c["head_dim"] as? Int == 8)
        #expect(c["rope_theta"] as? Double == 100_000)
        #expect(c["rms_norm_eps"] as? Double == 1e-5)
        #expect(c["vocab_size"] as? Int == 5)
        #expect(c["max_position_embeddings"] as? Int == 256)
        #expect(c["tie_word_embeddings"] as? Bool == true)
        #expect(c["torch_dtype"] as? String == "float32")
        #expect(c["eos_token_id"] as? Int == 0)

        let tokenizerConfig = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/tokenizer_config.json"))) as? [String: Any]
        let t = try #require(tokenizerConfig)
        #expect(t["chat_template"] as? String == "{% for m in messages %}{{ m['content'] }}{% endfor %}")
        #expect(t["eos_token"] as? String == "<|endoftext|>")
        #expect(t["add_bos_token"] as? Bool == false)
        let tokenizer = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/tokenizer.json"))) as? [String: Any]
        let model = try #require(tokenizer?["model"] as? [String: Any])
        #expect(model["type"] as? String == "BPE")
        #expect((model["vocab"] as? [String: Int])?["ab"] == 3)
        #expect(model["merges"] as? [String] == ["a b"])
        let added = try #require(tokenizer?["added_tokens"] as? [[String: Any]])
        #expect(added.map { $0["content"] as? String } == ["<|endoftext|>"])
        #expect(added.first?["special"] as? Bool == true)
    }

    @Test func untiedOutputAndHalfPrecision() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try TinyLlamaGGUF.write(to: dir.file("tiny.gguf"), tied: false)
        let result = try GGUFToMLXConversion.convert(inputPath: dir.file("tiny.gguf"), outputDirectory: dir.file("out"), options: GGUFToMLXOptions(dtype: .bf16))
        #expect(result.config.tieWordEmbeddings == false)
        #expect(result.config.torchDType == "bfloat16")
        let reader = try SafetensorsReader(path: dir.file("out/model.safetensors"))
        let head = try #require(reader.file.tensor(named: "lm_head.weight"))
        #expect(head.dtype == .bf16)
        #expect(head.shape == [5, 32])
        let bytes = try reader.data(of: head)
        // Row 2, column 3 of the output matrix: value(2, 3) = 16.375, exact in bfloat16.
        let offset = (2 * 32 + 3) * 2
        #expect(FloatBits.bfloat16ToFloat(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8) == TinyLlamaGGUF.value(2, 3))
    }

    @Test func refusesExistingOutputAndLeavesNothingOnFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try TinyLlamaGGUF.write(to: dir.file("tiny.gguf"))
        try FileManager.default.createDirectory(atPath: dir.file("taken"), withIntermediateDirectories: false)
        let exists = try #require(throws: ModelFormatError.self) {
            try GGUFToMLXConversion.convert(inputPath: dir.file("tiny.gguf"), outputDirectory: dir.file("taken"))
        }
        #expect(exists.message.contains("already exists"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("taken")).isEmpty)

        // An unsupported rope scaling is refused before anything is written.
        try TinyLlamaGGUF.write(to: dir.file("yarn.gguf"), extraMetadata: [GGUFKeyValue("llama.rope.scaling.type", .string("yarn"))])
        let yarn = try #require(throws: ModelFormatError.self) {
            try GGUFToMLXConversion.convert(inputPath: dir.file("yarn.gguf"), outputDirectory: dir.file("yarn-out"))
        }
        #expect(yarn.message.contains("llama.rope.scaling.type"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["taken", "tiny.gguf", "yarn.gguf"])
    }

    @Test func refusesOtherArchitecturesAndTokenizers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try TinyLlamaGGUF.write(to: dir.file("spm.gguf"), extraMetadata: [])
        let file = try GGUFFile.read(path: dir.file("spm.gguf"))
        var metadata = file.metadata
        metadata.removeAll { $0.key == "tokenizer.ggml.pre" }
        metadata.append(GGUFKeyValue("tokenizer.ggml.pre", .string("deepseek-coder")))
        let copy = GGUFFile(version: 3, metadata: metadata, tensors: file.tensors, alignment: 32, dataOffset: 0, fileSize: 0)
        let error = try #require(throws: ModelFormatError.self) { try GGUFTokenizerExport(file: copy, maxLength: nil) }
        #expect(error.message.contains("tokenizer.ggml.pre is 'deepseek-coder'"))
        var qwen = file.metadata
        qwen[0] = GGUFKeyValue("general.architecture", .string("qwen2"))
        let other = GGUFFile(version: 3, metadata: qwen, tensors: file.tensors, alignment: 32, dataOffset: 0, fileSize: 0)
        #expect(throws: ModelFormatError.self) { try MLXModelConfig(file: other, dtype: .f32) }
    }
}
