import Foundation
@testable import ModelFormats
import Testing

/// A tiny model directory of one architecture built here: hidden 16, 2 query heads and 1 key/value head of 8, one
/// layer, F32 weights whose values name their tensor, row and column (multiples of 1/8, so `w + 1 - 1 == w`
/// exactly), and a byte-level BPE (llama, qwen3) or SentencePiece (gemma3) tokenizer of a few tokens.
enum TinyFamilyModel {
    static let hidden = 16, heads = 2, kvHeads = 1, headDim = 8, ffn = 32

    static func value(_ tensor: Int, _ row: Int, _ column: Int) -> Float { Float((tensor * 31 + row * 7 + column) % 97) / 8 - 4 }

    /// Hugging Face names and shapes of every tensor of `architecture`'s model.
    static func tensors(_ architecture: ModelArchitecture, vocab: Int) -> [(name: String, shape: [Int])] {
        var list: [(String, [Int])] = [("model.embed_tokens.weight", [vocab, hidden]), ("model.norm.weight", [hidden])]
        if architecture == .llama { list.append(("lm_head.weight", [vocab, hidden])) }
        for (_, part) in architecture.layerTensors.sorted(by: { $0.key < $1.key }) {
            let shape: [Int]
            switch part {
            case "self_attn.q_proj": shape = [heads * headDim, hidden]
            case "self_attn.k_proj", "self_attn.v_proj": shape = [kvHeads * headDim, hidden]
            case "self_attn.o_proj": shape = [hidden, heads * headDim]
            case "mlp.gate_proj", "mlp.up_proj": shape = [ffn, hidden]
            case "mlp.down_proj": shape = [hidden, ffn]
            case "self_attn.q_norm", "self_attn.k_norm": shape = [headDim]
            default: shape = [hidden]
            }
            list.append(("model.layers.0.\(part).weight", shape))
        }
        return list
    }

    static func values(index: Int, shape: [Int]) -> [Float] {
        let rows = shape.count == 2 ? shape[0] : 1
        let columns = shape.last ?? 1
        return (0..<rows).flatMap { r in (0..<columns).map { value(index, r, $0) } }
    }

    static let byteLevelTokens = ["a", "b", "ab", "Ġ", "Ġab"]
    static let sentencePieces: [(String, Float, Int)] = [
        ("<pad>", 0, 3), ("<eos>", 0, 3), ("<bos>", 0, 3), ("<unk>", 0, 2), ("<0x41>", 0, 6),
        ("a", -1, 1), ("b", -2, 1), ("▁", -3, 1), ("ab", -4, 1), ("▁a", -5, 1), ("▁ab", -6, 1),
    ]

    /// Writes the directory; `extraConfig` entries are added to config.json.
    static func write(_ architecture: ModelArchitecture, to directory: String, extraConfig: String = "") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let spm = architecture == .gemma3
        let vocab = spm ? sentencePieces.count : byteLevelTokens.count + 1
        let list = tensors(architecture, vocab: vocab)
        try SafetensorsWriter.write(
            path: directory + "/model.safetensors", metadata: ["format": "mlx"],
            tensors: list.enumerated().map { index, tensor in
                (SafetensorsWriter.Tensor(name: tensor.name, dtype: .f32, shape: tensor.shape.map(UInt64.init)),
                 encode(values(index: index, shape: tensor.shape), as: .f32))
            })
        let config = """
            {"model_type": "\(architecture.modelType)", "hidden_size": \(hidden), "intermediate_size": \(ffn),
             "num_hidden_layers": 1, "num_attention_heads": \(heads), "num_key_value_heads": \(kvHeads), "head_dim": \(headDim),
             "rms_norm_eps": 1e-06, "rope_theta": 500000.0, "max_position_embeddings": 4096, "vocab_size": \(vocab),
             "tie_word_embeddings": \(architecture == .llama ? "false" : "true"), "query_pre_attn_scalar": \(headDim),
             "sliding_window": 64, "torch_dtype": "float32"\(extraConfig)}
            """
        try config.write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        if spm {
            try Data(sentencePieceModel(sentencePieces, addDummyPrefix: false)).write(to: URL(fileURLWithPath: directory + "/tokenizer.model"))
            let vocabJSON = sentencePieces.enumerated().map { "\(jsonQuoted($1.0)): \($0)" }.joined(separator: ", ")
            try """
                {"added_tokens": [{"id": 1, "content": "<eos>", "special": true}, {"id": 2, "content": "<bos>", "special": true}],
                 "model": {"type": "BPE", "byte_fallback": true, "vocab": {\(vocabJSON)}, "merges": [["a", "b"]]}}
                """.write(toFile: directory + "/tokenizer.json", atomically: true, encoding: .utf8)
            try #"{"bos_token": "<bos>", "eos_token": "<eos>", "add_bos_token": true, "chat_template": "{{ bos_token }}"}"#
                .write(toFile: directory + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        } else {
            let regex = GGUFTokenizerExport.preTokenizerRegexes[architecture == .llama ? "llama-bpe" : "qwen2"] ?? ""
            let vocabJSON = byteLevelTokens.enumerated().map { "\(jsonQuoted($1)): \($0)" }.joined(separator: ", ")
            try """
                {"added_tokens": [{"id": 5, "content": "<|end|>", "special": true}],
                 "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": \(jsonQuoted(regex))}, "behavior": "Isolated", "invert": false},
                    {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
                 "model": {"type": "BPE", "vocab": {\(vocabJSON)}, "merges": ["a b", ["Ġ", "ab"]]}}
                """.write(toFile: directory + "/tokenizer.json", atomically: true, encoding: .utf8)
            try #"{"eos_token": "<|end|>", "chat_template": "{{ messages }}"}"#
                .write(toFile: directory + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        }
    }

    /// A SentencePiece `ModelProto`: pieces (field 1: text 1, score 2, type 3) and a normaliser spec (field 3).
    static func sentencePieceModel(_ pieces: [(String, Float, Int)], addDummyPrefix: Bool) -> [UInt8] {
        func varint(_ value: Int) -> [UInt8] {
            var v = UInt64(value), out: [UInt8] = []
            repeat { out.append(UInt8(v & 0x7f) | (v > 0x7f ? 0x80 : 0)); v >>= 7 } while v > 0
            return out
        }
        func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(bytes.count) + bytes }
        var out: [UInt8] = []
        for (text, score, type) in pieces {
            var piece = field(1, Array(text.utf8))
            piece += varint(2 << 3 | 5) + withUnsafeBytes(of: score.bitPattern.littleEndian) { Array($0) }
            piece += varint(3 << 3) + varint(type)
            out += field(1, piece)
        }
        out += field(2, varint(3 << 3) + varint(2))  // trainer_spec.model_type = BPE: skipped by the reader
        out += field(3, field(1, Array("identity".utf8)) + varint(3 << 3) + varint(addDummyPrefix ? 1 : 0))
        return out
    }
}

/// `text` as a JSON string literal.
private func jsonQuoted(_ text: String) -> String {
    (try? JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed)).map { String(decoding: $0, as: UTF8.self) } ?? ""
}

/// A JSON object file.
private func jsonObject(_ path: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
}

@Suite struct MLXToGGUFTests {
    func floats(_ reader: GGUFReader, _ name: String) throws -> [Float] {
        let info = try #require(reader.file.tensor(named: name), "no tensor \(name)")
        #expect(info.type == .f32, "\(name)")
        return try reader.data(of: info).floats(.f32)
    }

    @Test func unsupportedArchitecturesAreNamed() throws {
        let hf = try #require(throws: ModelFormatError.self) { try ModelArchitecture.huggingFace(modelType: "phi3") }
        #expect(hf.message == "model_type 'phi3' is not supported; supported: llama, qwen3, gemma3_text")
        let gguf = try #require(throws: ModelFormatError.self) { try ModelArchitecture.gguf("qwen2") }
        #expect(gguf.message == "architecture 'qwen2' is not supported; supported: llama, qwen3, gemma3")
        #expect(try ModelArchitecture.huggingFace(modelType: "mistral") == .llama)
    }

    @Test func tensorNamesPerArchitecture() {
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.3.post_attention_layernorm.weight", architecture: .llama) == "blk.3.ffn_norm.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.3.post_attention_layernorm.weight", architecture: .gemma3) == "blk.3.post_attention_norm.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.3.pre_feedforward_layernorm.weight", architecture: .gemma3) == "blk.3.ffn_norm.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.0.post_feedforward_layernorm.weight", architecture: .gemma3) == "blk.0.post_ffw_norm.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.1.self_attn.k_norm.weight", architecture: .qwen3) == "blk.1.attn_k_norm.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.1.self_attn.k_norm.weight", architecture: .llama) == nil)
        #expect(GGUFTensorNaming.ggufName(of: "lm_head.weight", architecture: .qwen3) == "output.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.embed_tokens.weight", architecture: .gemma3) == "token_embd.weight")
        #expect(GGUFTensorNaming.ggufName(of: "model.layers.01.mlp.up_proj.weight", architecture: .llama) == nil)
        #expect(GGUFTensorNaming.huggingFaceName(of: "blk.2.ffn_norm.weight", architecture: .gemma3) == "model.layers.2.pre_feedforward_layernorm.weight")
        for architecture in ModelArchitecture.supported {
            for part in architecture.layerTensors.keys {
                let gguf = "blk.7.\(part).weight"
                let hf = GGUFTensorNaming.huggingFaceName(of: gguf, architecture: architecture)
                #expect(hf.flatMap { GGUFTensorNaming.ggufName(of: $0, architecture: architecture) } == gguf, "\(architecture) \(part)")
            }
        }
    }

    @Test(arguments: ModelArchitecture.supported)
    func convertsAndRoundTrips(_ architecture: ModelArchitecture) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let model = dir.file("model")
        try TinyFamilyModel.write(architecture, to: model)
        let result = try MLXToGGUFConversion.convert(inputDirectory: model, outputPath: dir.file("model.gguf"))
        #expect(result.architecture == architecture)
        let reader = try GGUFReader(path: dir.file("model.gguf"))
        let file = reader.file
        let prefix = architecture.ggufName
        #expect(file.architecture == prefix)
        #expect(file["\(prefix).embedding_length"]?.intValue == TinyFamilyModel.hidden)
        #expect(file["\(prefix).feed_forward_length"]?.intValue == TinyFamilyModel.ffn)
        #expect(file["\(prefix).block_count"]?.intValue == 1)
        #expect(file["\(prefix).context_length"]?.intValue == 4096)
        #expect(file["\(prefix).attention.head_count"]?.intValue == TinyFamilyModel.heads)
        #expect(file["\(prefix).attention.head_count_kv"]?.intValue == TinyFamilyModel.kvHeads)
        #expect(file["\(prefix).attention.key_length"]?.intValue == TinyFamilyModel.headDim)
        #expect(file["\(prefix).attention.value_length"]?.intValue == TinyFamilyModel.headDim)
        #expect(file["\(prefix).rope.freq_base"] == .float32(500_000))
        #expect(file["\(prefix).attention.layer_norm_rms_epsilon"] == .float32(1e-6))
        #expect(file["\(prefix).attention.sliding_window"]?.intValue == (architecture == .gemma3 ? 64 : nil))
        #expect((file.tensor(named: "output.weight") != nil) == (architecture == .llama), "output.weight only when untied")

        // Every tensor: its GGUF name, ne reversed from the shape, values permuted (llama q/k) or offset (Gemma norms).
        let list = TinyFamilyModel.tensors(architecture, vocab: architecture == .gemma3 ? TinyFamilyModel.sentencePieces.count : 6)
        for (index, tensor) in list.enumerated() {
            let name = try #require(GGUFTensorNaming.ggufName(of: tensor.name, architecture: architecture))
            let info = try #require(file.tensor(named: name), "no \(name)")
            #expect(info.dimensions == tensor.shape.reversed().map(UInt64.init), "\(name)")
            let stored = try floats(reader, name)
            var expected = TinyFamilyModel.values(index: index, shape: tensor.shape)
            if architecture == .gemma3, tensor.name.hasSuffix("norm.weight") { expected = expected.map { $0 + 1 } }
            if architecture == .llama, name.hasSuffix("attn_q.weight") || name.hasSuffix("attn_k.weight") {
                // llama.cpp's LlamaModel.permute: GGUF row h·d + 2j + i holds Hugging Face row h·d + i·d/2 + j.
                let d = TinyFamilyModel.headDim, columns = tensor.shape[1]
                for h in 0..<(tensor.shape[0] / d) { for j in 0..<(d / 2) { for i in 0..<2 {
                    let ggufRow = h * d + 2 * j + i, hfRow = h * d + i * d / 2 + j
                    #expect(Array(stored[(ggufRow * columns)..<((ggufRow + 1) * columns)])
                            == (0..<columns).map { TinyFamilyModel.value(index, hfRow, $0) }, "\(name) row \(ggufRow)")
                } } }
            } else {
                #expect(stored == expected, "\(name)")
            }
        }

        // Tokenizer metadata.
        if architecture == .gemma3 {
            #expect(file["tokenizer.ggml.model"]?.stringValue == "llama")
            #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.strings == TinyFamilyModel.sentencePieces.map(\.0))
            #expect(file["tokenizer.ggml.scores"] == .array(.float32(TinyFamilyModel.sentencePieces.enumerated().map { [1, 2].contains($0) ? -1000 : $1.1 })))
            #expect(file["tokenizer.ggml.token_type"]?.arrayValue?.ints == TinyFamilyModel.sentencePieces.map(\.2))
            #expect(file["tokenizer.ggml.add_space_prefix"]?.boolValue == false)
            #expect(file["tokenizer.ggml.bos_token_id"]?.intValue == 2)
            #expect(file["tokenizer.ggml.eos_token_id"]?.intValue == 1)
            #expect(file["tokenizer.ggml.add_bos_token"]?.boolValue == true)
        } else {
            #expect(file["tokenizer.ggml.model"]?.stringValue == "gpt2")
            #expect(file["tokenizer.ggml.pre"]?.stringValue == (architecture == .llama ? "llama-bpe" : "qwen2"))
            #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.strings == TinyFamilyModel.byteLevelTokens + ["<|end|>"])
            #expect(file["tokenizer.ggml.token_type"]?.arrayValue?.ints == [1, 1, 1, 1, 1, 3])
            #expect(file["tokenizer.ggml.merges"]?.arrayValue?.strings == ["a b", "Ġ ab"])
            #expect(file["tokenizer.ggml.eos_token_id"]?.intValue == 5)
            #expect(file["tokenizer.ggml.add_bos_token"]?.boolValue == false)
        }
        #expect(file["tokenizer.chat_template"]?.stringValue != nil)

        // Back to MLX: the same tensors, bit for bit, and the same architecture.
        let back = try GGUFToMLXConversion.convert(inputPath: dir.file("model.gguf"), outputDirectory: dir.file("back"))
        #expect(back.config.architecture == architecture)
        #expect(back.config.headDim == TinyFamilyModel.headDim)
        let original = try SafetensorsReader(path: model + "/model.safetensors")
        let trip = try SafetensorsReader(path: dir.file("back/model.safetensors"))
        #expect(Set(trip.file.tensors.map(\.name)) == Set(original.file.tensors.map(\.name)))
        for tensor in original.file.tensors {
            let copy = try #require(trip.file.tensor(named: tensor.name))
            #expect(copy.shape == tensor.shape, "\(tensor.name)")
            #expect(try trip.data(of: copy) == original.data(of: tensor), "\(tensor.name)")
        }
        let config = try jsonObject(dir.file("back/config.json"))
        #expect(config["model_type"] as? String == architecture.modelType)
        #expect(config["tie_word_embeddings"] as? Bool == (architecture != .llama))
        let tokenizer = try #require(try jsonObject(dir.file("back/tokenizer.json"))["model"] as? [String: Any])
        if architecture == .gemma3 {
            #expect(tokenizer["byte_fallback"] as? Bool == true)
            // Merges from the scores, highest first: "ab" (-4), "▁a" (-5), then "▁ab" (-6) both ways, the longer
            // left part first (transformers' generate_merges).
            #expect(tokenizer["merges"] as? [[String]] == [["a", "b"], ["▁", "a"], ["▁a", "b"], ["▁", "ab"]])
        } else {
            #expect(tokenizer["ignore_merges"] as? Bool == (architecture == .llama))
        }
    }

    @Test func llama3RopeScaling() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let model = dir.file("model")
        try TinyFamilyModel.write(.llama, to: model, extraConfig: #", "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}"#)
        try MLXToGGUFConversion.convert(inputDirectory: model, outputPath: dir.file("model.gguf"))
        let reader = try GGUFReader(path: dir.file("model.gguf"))
        let factors = try floats(reader, "rope_freqs.weight")
        // head_dim 8, theta 500000: wavelengths 2π·500000^(i/8) for i = 0…3 are 6.3, 169, 4443 and 118 000 tokens:
        // below 8192/4 unscaled, above 8192 scaled by 8, 4443 in between (smooth: 1 / ((1 - s)/8 + s),
        // s = (8192/4443 - 1) / 3).
        let wavelength = 2 * Double.pi * pow(500_000, 0.5)
        let smooth = (8192 / wavelength - 1) / 3
        #expect(factors.count == 4)
        #expect(factors[0] == 1 && factors[1] == 1 && factors[3] == 8)
        #expect(abs(Double(factors[2]) - 1 / ((1 - smooth) / 8 + smooth)) < 1e-5)
        let back = try GGUFToMLXConversion.convert(inputPath: dir.file("model.gguf"), outputDirectory: dir.file("back"))
        #expect(back.config.ropeScaling == .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 8192))
        #expect(back.tensorCount == TinyFamilyModel.tensors(.llama, vocab: 6).count, "rope_freqs is config, not a weight")

        var config = back.config
        config.ropeScaling = nil
        #expect(throws: ModelFormatError.self) { try config.adoptLlama3RopeFactors([1, 1, 3, 8]) }
    }

    @Test func refusesQuantizedAndForeignModels() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try TinyFamilyModel.write(.qwen3, to: dir.file("q"), extraConfig: #", "quantization": {"group_size": 64, "bits": 4}"#)
        let quantized = try #require(throws: ModelFormatError.self) {
            try MLXToGGUFConversion.convert(inputDirectory: dir.file("q"), outputPath: dir.file("q.gguf"))
        }
        #expect(quantized.message.contains("quantized"))
        try TinyFamilyModel.write(.qwen3, to: dir.file("s"), extraConfig: #", "rope_scaling": {"rope_type": "yarn", "factor": 4.0}"#)
        let yarn = try #require(throws: ModelFormatError.self) {
            try MLXToGGUFConversion.convert(inputDirectory: dir.file("s"), outputPath: dir.file("s.gguf"))
        }
        #expect(yarn.message.contains("rope_scaling type 'yarn' is not supported for qwen3"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("q.gguf")) && !FileManager.default.fileExists(atPath: dir.file("s.gguf")))
    }

    @Test func readsSentencePieceModels() throws {
        let bytes = TinyFamilyModel.sentencePieceModel([("<unk>", 0, 2), ("▁hé", -1.5, 1), ("<0x00>", 0, 6)], addDummyPrefix: true)
        let model = try SentencePieceModel(bytes: bytes, path: "test")
        #expect(model.pieces.map(\.text) == ["<unk>", "▁hé", "<0x00>"])
        #expect(model.pieces.map(\.score) == [0, -1.5, 0])
        #expect(model.pieces.map(\.type) == [.unknown, .normal, .byte])
        #expect(model.addDummyPrefix)
        #expect(throws: ModelFormatError.self) { try SentencePieceModel(bytes: Array(bytes.dropLast(3)), path: "test") }
    }

    @Test func gemmaQueryScaleAsLlamaCppFixesIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        func config(layers: Int, hidden: Int, heads: Int, headDim: Int, scalar: Int) throws -> MLXModelConfig {
            let path = dir.file("config-\(layers)-\(scalar).json")
            try """
                {"model_type": "gemma3_text", "hidden_size": \(hidden), "intermediate_size": 64, "num_hidden_layers": \(layers),
                 "num_attention_heads": \(heads), "num_key_value_heads": 16, "head_dim": \(headDim), "vocab_size": 262208,
                 "query_pre_attn_scalar": \(scalar)}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return try MLXModelConfig(huggingFace: try #require(try GGUFTokenizerImport.readJSON(path, required: true)))
        }
        // Gemma 3 27B: 62 layers, hidden 5376, 32 heads of 128, queries scaled by 1/√(5376/32) = 1/√168.
        #expect(try config(layers: 62, hidden: 5376, heads: 32, headDim: 128, scalar: 168).gemmaQueryPreAttentionScalar == 168)
        let wrong = try #require(throws: ModelFormatError.self) { try config(layers: 62, hidden: 5376, heads: 32, headDim: 128, scalar: 128) }
        #expect(wrong.message.contains("1/√168"))
        // Gemma 3 12B: 48 layers, head size 256 = query_pre_attn_scalar.
        #expect(try config(layers: 48, hidden: 3840, heads: 16, headDim: 256, scalar: 256).gemmaQueryPreAttentionScalar == 256)
    }
}
